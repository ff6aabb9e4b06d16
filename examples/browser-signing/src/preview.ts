/**
 * The page preview: pdf.js draws one page on a canvas, and a drag (or a click) on it picks the
 * signature rectangle in PDF user space (origin bottom-left, points), which is what
 * `signPdf({ field: { page, rect } })` takes. pdf.js's viewport does the conversion, so rotated
 * pages and cropped boxes come out right. pdf.js only draws; it never writes the file.
 */
import { getDocument, GlobalWorkerOptions, type PageViewport, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** `[x1, y1, x2, y2]` in PDF points. */
export type Rect = [number, number, number, number];

/** Default box for a single click: 200 × 56 pt, the click point at its centre. */
const CLICK_SIZE = { w: 200, h: 56 };

export class PagePreview {
  readonly #canvas: HTMLCanvasElement;
  readonly #box: HTMLElement;
  #doc: PDFDocumentProxy | null = null;
  #viewport: PageViewport | null = null;
  #drag: { x: number; y: number } | null = null;
  /** Called with the rectangle the user drew, in PDF points. */
  onPick: (rect: Rect) => void = () => {};

  constructor(canvas: HTMLCanvasElement, box: HTMLElement) {
    this.#canvas = canvas;
    this.#box = box;
    canvas.addEventListener('pointerdown', (e) => {
      this.#drag = { x: e.offsetX, y: e.offsetY };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.#drag) this.#showCss(this.#drag.x, this.#drag.y, e.offsetX, e.offsetY);
    });
    canvas.addEventListener('pointerup', (e) => {
      const start = this.#drag;
      this.#drag = null;
      if (!start || !this.#viewport) return;
      const moved = Math.abs(e.offsetX - start.x) > 4 && Math.abs(e.offsetY - start.y) > 4;
      const rect = moved ? this.#toPdf(start.x, start.y, e.offsetX, e.offsetY) : this.#clickRect(e.offsetX, e.offsetY);
      this.showRect(rect);
      this.onPick(rect);
    });
  }

  /** Number of pages of the open document (0 before {@link load}). */
  get pageCount(): number {
    return this.#doc?.numPages ?? 0;
  }

  /** Opens a new version of the document (pdf.js gets a copy: it transfers what it is given). */
  async load(pdf: Uint8Array): Promise<void> {
    const old = this.#doc;
    this.#doc = await getDocument({ data: pdf.slice(), isEvalSupported: false }).promise;
    await old?.destroy();
  }

  /** Draws page `pageNumber` (1-based) to fit `maxWidth` CSS pixels. */
  async show(pageNumber: number, maxWidth: number): Promise<void> {
    if (!this.#doc) return;
    const page = await this.#doc.getPage(Math.min(Math.max(1, pageNumber), this.#doc.numPages));
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: Math.min(1.5, maxWidth / base.width) });
    const ratio = window.devicePixelRatio || 1;
    this.#canvas.width = Math.floor(viewport.width * ratio);
    this.#canvas.height = Math.floor(viewport.height * ratio);
    this.#canvas.style.width = `${Math.floor(viewport.width)}px`;
    this.#canvas.style.height = `${Math.floor(viewport.height)}px`;
    this.#viewport = viewport;
    await page.render({ canvas: this.#canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    this.#canvas.dataset['page'] = String(page.pageNumber);
  }

  /** Outlines `rect` (PDF points) on the page. */
  showRect(rect: Rect): void {
    if (!this.#viewport) return;
    const [x1, y1, x2, y2] = this.#viewport.convertToViewportRectangle(rect) as Rect;
    this.#showCss(x1, y1, x2, y2);
  }

  #showCss(x1: number, y1: number, x2: number, y2: number): void {
    Object.assign(this.#box.style, {
      left: `${Math.min(x1, x2)}px`,
      top: `${Math.min(y1, y2)}px`,
      width: `${Math.abs(x2 - x1)}px`,
      height: `${Math.abs(y2 - y1)}px`,
    });
    this.#box.hidden = false;
  }

  #toPdf(cx1: number, cy1: number, cx2: number, cy2: number): Rect {
    const vp = this.#viewport!;
    const [ax, ay] = vp.convertToPdfPoint(cx1, cy1) as [number, number];
    const [bx, by] = vp.convertToPdfPoint(cx2, cy2) as [number, number];
    return [Math.round(Math.min(ax, bx)), Math.round(Math.min(ay, by)), Math.round(Math.max(ax, bx)), Math.round(Math.max(ay, by))];
  }

  #clickRect(cx: number, cy: number): Rect {
    const [x, y] = this.#viewport!.convertToPdfPoint(cx, cy) as [number, number];
    const x1 = Math.round(x - CLICK_SIZE.w / 2);
    const y1 = Math.round(y - CLICK_SIZE.h / 2);
    return [x1, y1, x1 + CLICK_SIZE.w, y1 + CLICK_SIZE.h];
  }
}
