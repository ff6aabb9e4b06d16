/**
 * End-to-end test of the browser signing example: builds the Vite app, serves it on 127.0.0.1,
 * drives Debian's Chromium with playwright-core, signs with a .p12 and with the simulated remote
 * signer, and checks every downloaded PDF with poppler's pdfsig and `kyso verify` (a peer each
 * that did not run in the browser). Needs `pnpm build` first for the CLI (the root `pnpm test`
 * does it) and /usr/bin/chromium (apt-get install chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '@kyso/test-fixtures';

const APP = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const PDF = fixturePath('pdfs', 'libreoffice-vi.pdf');
const ROOT_PEM = fixturePath('pki', 'root.pem');
const PASSWORD = 'kyso';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

let work: string;
let dist: string;
let buildOutput: string;
let server: Server;
let baseUrl: string;
let context: BrowserContext;

/** `pdfsig` on a file: the "Signature Validation:" line of each signature. */
function pdfsig(file: string): string[] {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  if (r.error) throw new Error(`pdfsig did not run (${r.error.message}): install it with apt-get install poppler-utils`);
  return [...r.stdout.matchAll(/Signature Validation: (.*)/g)].map((m) => m[1]!.trim());
}

/** `kyso verify FILE --trust root.pem --format json` from the built CLI. */
function kysoVerify(file: string): { code: number | null; report: { signatures: { field: string; indication: string; subIndication: string | null; signer: { commonName: string }; modificationsAfter: string }[] } } {
  const cli = join(ROOT, 'packages/cli/bin/kyso.cjs');
  const r = spawnSync(process.execPath, [cli, 'verify', file, '--trust', ROOT_PEM, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  if (!r.stdout.trim().startsWith('{')) throw new Error(`kyso verify printed no JSON (run pnpm build first): ${r.stderr}`);
  return { code: r.status, report: JSON.parse(r.stdout) };
}

/** Serves `dir` on 127.0.0.1 (a free port). */
function serveStatic(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function openApp(): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  // Nothing may leave the page: every request must go to our own server.
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request to ${r.url()}`);
  });
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(baseUrl);
  return page;
}

const problemsOf = (page: Page): string[] => (page as Page & { problems: string[] }).problems;

async function openPdf(page: Page, file: string): Promise<void> {
  await page.setInputFiles('#pdf-input', file);
  await page.waitForSelector('#panel[data-ready="true"]');
}

async function loadKey(page: Page, mode: 'p12' | 'remote', p12: string, password = PASSWORD): Promise<void> {
  await page.check(`input[name="mode"][value="${mode}"]`);
  await page.setInputFiles('#p12-input', p12);
  await page.fill('#p12-password', password);
  await page.click('#load-key');
  await page.waitForSelector('#key-info.key-card, #key-info.error');
}

async function signAndDownload(page: Page, out: string, signatures: number): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sign')]);
  await download.saveAs(out);
  // The page then reopens the signed file and verifies it again.
  await page.waitForFunction(
    (n) => document.getElementById('panel')!.dataset['ready'] === 'true' && document.querySelectorAll('#panel .sig').length === n,
    signatures,
  );
}

const panelIndications = (page: Page) =>
  page.$$eval('#panel .sig', (els) => els.map((e) => ({ field: (e as HTMLElement).dataset['field'], indication: (e as HTMLElement).dataset['indication'], signer: (e as HTMLElement).dataset['signer'] })));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install it with apt-get install chromium`);
  work = mkdtempSync(join(tmpdir(), 'kyso-browser-'));
  dist = join(work, 'dist');
  // Build the app as a user would (`vite build`), into a temp folder.
  const vite = join(APP, 'node_modules/vite/bin/vite.js');
  const b = spawnSync(process.execPath, [vite, 'build', '--outDir', dist, '--emptyOutDir'], { cwd: APP, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  buildOutput = `${b.stdout}\n${b.stderr}`;
  if (b.status !== 0) throw new Error(`vite build failed:\n${buildOutput}`);
  server = await serveStatic(dist);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 1000 },
  });
  // Record every PKCS#8 key import the page makes, to check that the .p12 key stays non-extractable.
  await context.addInitScript(() => {
    const subtle = globalThis.crypto.subtle;
    const original = subtle.importKey.bind(subtle);
    const seen: { extractable: boolean; keyExtractable?: boolean; usages: string[] }[] = [];
    (globalThis as unknown as { __pkcs8Imports: typeof seen }).__pkcs8Imports = seen;
    (subtle as { importKey: unknown }).importKey = async (...args: Parameters<SubtleCrypto['importKey']>) => {
      const key = await (original as (...a: unknown[]) => Promise<CryptoKey>)(...args);
      if (args[0] === 'pkcs8') seen.push({ extractable: args[3], keyExtractable: key.extractable, usages: [...args[4]] });
      return key;
    };
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('examples/browser-signing in Chromium', () => {
  it('builds with vite without pulling a Node built-in into the bundle', () => {
    expect(buildOutput).toContain('built in');
    expect(buildOutput).not.toMatch(/externalized for browser compatibility|node:(fs|crypto|path|buffer)/);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
  });

  it('opens an unsigned PDF, signs it with a .p12 key held in WebCrypto as non-extractable, and the download verifies', async () => {
    const page = await openApp();
    await openPdf(page, PDF);
    await expect(page.textContent('#panel')).resolves.toContain('chưa có chữ ký số');
    await page.setInputFiles('#trust-input', ROOT_PEM);

    await loadKey(page, 'p12', fixturePath('pki', 'leader.p12'));
    await expect(page.getAttribute('#key-info', 'data-signer')).resolves.toBe('Nguyễn Văn An');
    await expect(page.textContent('#key-info')).resolves.toContain('non-extractable');
    // The private key went into WebCrypto with extractable = false, and nothing can export it.
    const imports = await page.evaluate(() => (globalThis as unknown as { __pkcs8Imports: { extractable: boolean; keyExtractable: boolean; usages: string[] }[] }).__pkcs8Imports);
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) expect(i).toEqual({ extractable: false, keyExtractable: false, usages: ['sign'] });

    // Place the box by clicking the rendered page, then check the inputs followed the click.
    await page.waitForSelector('#page-canvas[data-page="1"]');
    const before = await page.inputValue('#sig-x');
    const box = (await (await page.$('#page-canvas'))!.boundingBox())!;
    await page.click('#page-canvas', { position: { x: box.width * 0.3, y: box.height * 0.8 } });
    expect(await page.inputValue('#sig-x')).not.toBe(before);
    expect(await page.inputValue('#sig-w')).toBe('200');
    await expect(page.isVisible('#sig-box')).resolves.toBe(true);
    // A drag draws a box of its own size: 40% × 10% of the page's width and height.
    await page.$eval('#page-canvas', (c) => c.scrollIntoView({ block: 'start' }));
    const shown = (await (await page.$('#page-canvas'))!.boundingBox())!;
    await page.mouse.move(shown.x + shown.width * 0.1, shown.y + shown.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(shown.x + shown.width * 0.3, shown.y + shown.height * 0.25, { steps: 4 });
    await page.mouse.move(shown.x + shown.width * 0.5, shown.y + shown.height * 0.3, { steps: 4 });
    await page.mouse.up();
    const drawn = await Promise.all(['#sig-w', '#sig-h'].map((id) => page.inputValue(id).then(Number)));
    // The fixture's page is A4 (595.3 × 841.9 pt); within 5 pt.
    expect(drawn[0]).toBeCloseTo(595.3 * 0.4, -1);
    expect(drawn[1]).toBeCloseTo(841.9 * 0.1, -1);
    // Then set an exact rectangle, as a user typing coordinates would.
    for (const [id, v] of [['#sig-page', '1'], ['#sig-x', '340'], ['#sig-y', '60'], ['#sig-w', '200'], ['#sig-h', '56']] as const) await page.fill(id, v);

    const out = join(work, 'signed-p12.pdf');
    await signAndDownload(page, out, 1);

    // The panel shows the new signature, verified in the page.
    expect(await panelIndications(page)).toEqual([{ field: 'Signature1', indication: 'TOTAL-PASSED', signer: 'Nguyễn Văn An' }]);
    await expect(page.textContent('#panel')).resolves.toContain('Không thay đổi kể từ khi ký');
    // Independent checks of the download: poppler and the kyso CLI.
    expect(pdfsig(out)).toEqual(['Signature is Valid.']);
    const v = kysoVerify(out);
    expect(v.code).toBe(0);
    expect(v.report.signatures.map((s) => [s.field, s.indication, s.signer.commonName])).toEqual([['Signature1', 'TOTAL-PASSED', 'Nguyễn Văn An']]);
    // The visible widget is where the user put it, with an appearance stream.
    const tail = readFileSync(out).subarray(statSync(PDF).size).toString('latin1');
    expect(tail).toMatch(/\/Subtype \/Widget[^>]*\/Rect \[340 60 540 116\][^>]*\/AP << \/N \d+ 0 R >>/);

    const shot = join(work, 'screenshot.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    // `UPDATE_SCREENSHOT=1 pnpm exec vitest run examples/browser-signing` refreshes the committed screenshot.
    if (process.env['UPDATE_SCREENSHOT']) writeFileSync(join(APP, 'screenshot.png'), readFileSync(shot));
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it('tamper twin: one byte changed after signing is caught by the page, pdfsig and kyso verify', async () => {
    const signed = readFileSync(join(work, 'signed-p12.pdf'));
    const tampered = join(work, 'tampered.pdf');
    const bytes = new Uint8Array(signed);
    // Flip a byte inside the first page's content stream (covered by the /ByteRange).
    const at = signed.indexOf('stream', 200, 'latin1') + 40;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(tampered, bytes);

    const page = await openApp();
    await page.setInputFiles('#trust-input', ROOT_PEM);
    await openPdf(page, tampered);
    const panel = await panelIndications(page);
    expect(panel).toEqual([{ field: 'Signature1', indication: 'TOTAL-FAILED', signer: 'Nguyễn Văn An' }]);
    await expect(page.textContent('#panel')).resolves.toContain('HASH_FAILURE');
    expect(pdfsig(tampered)).toEqual(['Digest Mismatch.']);
    const v = kysoVerify(tampered);
    expect(v.code).toBe(1);
    expect(v.report.signatures[0]!.indication).toBe('TOTAL-FAILED');
    await page.close();
  });

  it('shows the existing signature of a signed PDF, then adds a second one through the remote signer (prepare → digest → finish)', async () => {
    const page = await openApp();
    await page.setInputFiles('#trust-input', ROOT_PEM);
    await openPdf(page, join(work, 'signed-p12.pdf'));
    expect(await panelIndications(page)).toEqual([{ field: 'Signature1', indication: 'TOTAL-PASSED', signer: 'Nguyễn Văn An' }]);
    await expect(page.textContent('#panel')).resolves.toContain('Không thay đổi kể từ khi ký');

    await loadKey(page, 'remote', fixturePath('pki', 'head.p12'));
    await expect(page.isVisible('#remote-note')).resolves.toBe(true);
    await expect(page.textContent('#key-info')).resolves.toContain('SIMULATED remote service');
    await expect(page.getAttribute('#key-info', 'data-signer')).resolves.toBe('Lê Văn Cường');
    for (const [id, v] of [['#sig-page', '1'], ['#sig-x', '60'], ['#sig-y', '60'], ['#sig-w', '200'], ['#sig-h', '56']] as const) await page.fill(id, v);

    const out = join(work, 'signed-remote.pdf');
    await signAndDownload(page, out, 2);
    await expect(page.textContent('#log')).resolves.toMatch(/digest only[\s\S]*signature value, 256 byte/);

    expect(await panelIndications(page)).toEqual([
      { field: 'Signature1', indication: 'TOTAL-PASSED', signer: 'Nguyễn Văn An' },
      { field: 'Signature2', indication: 'TOTAL-PASSED', signer: 'Lê Văn Cường' },
    ]);
    expect(pdfsig(out)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const v = kysoVerify(out);
    expect(v.code).toBe(0);
    expect(v.report.signatures.map((s) => [s.field, s.indication, s.signer.commonName, s.modificationsAfter])).toEqual([
      ['Signature1', 'TOTAL-PASSED', 'Nguyễn Văn An', 'allowed'],
      ['Signature2', 'TOTAL-PASSED', 'Lê Văn Cường', 'none'],
    ]);
    // The earlier revision is untouched: the first download is a byte prefix of the second.
    const first = readFileSync(join(work, 'signed-p12.pdf'));
    expect(readFileSync(out).subarray(0, first.length).equals(first)).toBe(true);
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });

  it('refuses a wrong .p12 password with the library\'s message and keeps signing disabled', async () => {
    const page = await openApp();
    await openPdf(page, PDF);
    await loadKey(page, 'p12', fixturePath('pki', 'leader.p12'), 'not-the-password');
    await expect(page.textContent('#key-info')).resolves.toContain('P12_BAD_PASSWORD');
    await expect(page.isDisabled('#sign')).resolves.toBe(true);
    await page.close();
  });

  it('type-checks against the packages\' published types (tsc, after pnpm build)', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(APP, 'tsconfig.json')], { cwd: APP, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });
});
