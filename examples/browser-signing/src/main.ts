/**
 * kyso browser signing example: open a PDF, see its signature panel (verifyPdf), load a key
 * (.p12 → non-extractable WebCrypto key, or a remote signer), place a visible signature, sign,
 * download. Everything runs in this page; nothing is uploaded anywhere.
 */
import { formatVietnamTime, fromBase64, isKysoError, looksLikePem, toBase64, toHex } from '@kyso/core';
import { formatName, parseCertificate, signerFromPkcs12, type Signer, type SigningIdentity } from '@kyso/cms';
import { finishPdfSignature, preparePdfSignature, signPdf, verifyPdf, type PdfSignatureOptions } from '@kyso/pades';
import { FakeRemoteSigningService, type RemoteCredential } from './fake-remote-service.js';
import { renderPanel } from './panel.js';
import { PagePreview, type Rect } from './preview.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);

/** The key the page signs with: a WebCrypto key from a .p12, or the (simulated) remote service. */
type KeyChoice =
  | { readonly kind: 'p12'; readonly signer: Signer }
  | { readonly kind: 'remote'; readonly service: FakeRemoteSigningService; readonly credential: RemoteCredential; readonly identity: SigningIdentity };

const state: {
  pdf: Uint8Array | null;
  fileName: string;
  trustAnchors: (Uint8Array | string)[];
  key: KeyChoice | null;
} = { pdf: null, fileName: 'document.pdf', trustAnchors: [], key: null };

const preview = new PagePreview($<HTMLCanvasElement>('page-canvas'), $('sig-box'));
const log = $('log');

// ---------------------------------------------------------------------------------------------
// Messages

function say(text: string, isError = false): void {
  const li = document.createElement('li');
  li.textContent = text;
  if (isError) li.className = 'error';
  log.append(li);
  li.scrollIntoView({ block: 'nearest' });
}

/** A KysoError's code and message (they say what to do), or the plain message. */
function describe(e: unknown): string {
  if (isKysoError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function readFile(el: HTMLInputElement): Promise<{ bytes: Uint8Array; name: string } | null> {
  const f = el.files?.[0];
  if (!f) return Promise.resolve(null);
  return f.arrayBuffer().then((b) => ({ bytes: new Uint8Array(b), name: f.name }));
}

function commonName(certificate: Uint8Array): string {
  const subject = formatName(parseCertificate(certificate).subject);
  return /(?:^|, )CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

// ---------------------------------------------------------------------------------------------
// 1. Open a PDF and show its signature panel

async function refreshPanel(): Promise<void> {
  const panel = $('panel');
  if (!state.pdf) return;
  panel.textContent = 'Đang kiểm tra chữ ký… (verifying…)';
  try {
    const report = await verifyPdf(state.pdf, { trustAnchors: state.trustAnchors });
    renderPanel(panel, report, state.trustAnchors.length > 0);
  } catch (e) {
    panel.textContent = `Không đọc được tệp PDF (cannot read the PDF): ${describe(e)}`;
    panel.className = 'panel error';
  }
  panel.dataset['ready'] = 'true';
}

async function openPdf(bytes: Uint8Array, name: string): Promise<void> {
  state.pdf = bytes;
  state.fileName = name;
  $('panel').dataset['ready'] = 'false';
  $('doc-info').textContent = `${name} — ${bytes.length.toLocaleString('vi-VN')} byte`;
  try {
    await preview.load(bytes);
    input('sig-page').max = String(preview.pageCount);
    await showPage();
  } catch (e) {
    say(`Không vẽ được trang (cannot render the page): ${describe(e)}`, true);
  }
  await refreshPanel();
  updateSignButton();
}

async function showPage(): Promise<void> {
  const n = Number(input('sig-page').value) || 1;
  $('page-label').textContent = `${n} / ${preview.pageCount}`;
  const width = Math.min(640, Math.max(320, $('document').clientWidth - 4));
  await preview.show(n, width);
  preview.showRect(currentRect());
}

input('pdf-input').addEventListener('change', async () => {
  const file = await readFile(input('pdf-input'));
  if (file) await openPdf(file.bytes, file.name);
});

input('trust-input').addEventListener('change', async () => {
  const file = await readFile(input('trust-input'));
  if (!file) return;
  const text = new TextDecoder().decode(file.bytes);
  state.trustAnchors = [looksLikePem(file.bytes) ? text : file.bytes];
  say(`Đã nạp chứng thư gốc tin cậy (trust anchor loaded): ${file.name}`);
  await refreshPanel();
});

// ---------------------------------------------------------------------------------------------
// 2. Choose a key

function mode(): 'p12' | 'remote' {
  return (document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value ?? 'p12') as 'p12' | 'remote';
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    $('remote-note').hidden = mode() !== 'remote';
    state.key = null;
    $('key-info').textContent = 'Chưa có khóa. (No key loaded.)';
    $('key-info').className = 'muted';
    updateSignButton();
  });
}

$('load-key').addEventListener('click', async () => {
  const file = await readFile(input('p12-input'));
  const info = $('key-info');
  if (!file) {
    info.textContent = 'Hãy chọn tệp .p12. (Choose a .p12 file.)';
    info.className = 'error';
    return;
  }
  const password = input('p12-password').value;
  info.textContent = 'Đang giải mã… (decoding…)';
  info.className = 'muted';
  try {
    if (mode() === 'p12') {
      // The PKCS#12 is decrypted here with WebCrypto; @kyso/cms imports the private key as a
      // non-extractable CryptoKey (extractable = false), so no script can read it back.
      const signer = await signerFromPkcs12(file.bytes, password);
      state.key = { kind: 'p12', signer };
      showKey(signer.certificate, `${signer.signatureAlgorithm.name} / ${signer.signatureAlgorithm.hash}`, 'Khóa nằm trong WebCrypto, không thể xuất ra (non-extractable CryptoKey)');
    } else {
      const service = await FakeRemoteSigningService.fromPkcs12(file.bytes, password);
      const credential = JSON.parse(await service.getCredential()) as RemoteCredential;
      const identity: SigningIdentity = {
        certificate: fromBase64(credential.certificate),
        chain: credential.chain.map((c) => fromBase64(c)),
        signatureAlgorithm: credential.signatureAlgorithm,
      };
      state.key = { kind: 'remote', service, credential, identity };
      showKey(identity.certificate, `${credential.signatureAlgorithm.name} / ${credential.signatureAlgorithm.hash}`, `Khóa ở dịch vụ ký từ xa mô phỏng (key held by the SIMULATED remote service, credential ${credential.credentialId})`);
    }
    input('p12-password').value = '';
  } catch (e) {
    state.key = null;
    info.textContent = `Không nạp được khóa (cannot load the key): ${describe(e)}`;
    info.className = 'error';
  }
  updateSignButton();
});

function showKey(certificate: Uint8Array, algorithm: string, where: string): void {
  const cert = parseCertificate(certificate);
  const info = $('key-info');
  info.className = 'key-card';
  info.replaceChildren();
  const lines = [
    `Người ký (signer): ${commonName(certificate)}`,
    `Hiệu lực đến (valid until): ${cert.notAfter.toISOString().slice(0, 10)}`,
    `Thuật toán (algorithm): ${algorithm}`,
    where,
  ];
  for (const l of lines) {
    const div = document.createElement('div');
    div.textContent = l;
    info.append(div);
  }
  info.dataset['signer'] = commonName(certificate);
}

// ---------------------------------------------------------------------------------------------
// 3. Where the visible signature goes

function currentRect(): Rect {
  const x = Number(input('sig-x').value);
  const y = Number(input('sig-y').value);
  return [x, y, x + Number(input('sig-w').value), y + Number(input('sig-h').value)];
}

preview.onPick = ([x1, y1, x2, y2]) => {
  input('sig-x').value = String(x1);
  input('sig-y').value = String(y1);
  input('sig-w').value = String(x2 - x1);
  input('sig-h').value = String(y2 - y1);
};
for (const id of ['sig-x', 'sig-y', 'sig-w', 'sig-h']) input(id).addEventListener('input', () => preview.showRect(currentRect()));
input('sig-page').addEventListener('change', () => void showPage());

// ---------------------------------------------------------------------------------------------
// 4. Sign and download

function updateSignButton(): void {
  $<HTMLButtonElement>('sign').disabled = !(state.pdf && state.key);
}

function signatureOptions(): PdfSignatureOptions {
  const page = Number(input('sig-page').value);
  const rect = currentRect();
  if (!Number.isInteger(page) || page < 1 || page > preview.pageCount) throw new Error(`Trang phải từ 1 đến ${preview.pageCount} (the page must be 1–${preview.pageCount}).`);
  if (!rect.every(Number.isFinite) || rect[2] - rect[0] < 20 || rect[3] - rect[1] < 10) throw new Error('Khung chữ ký quá nhỏ (the signature box is too small).');
  const reason = input('sig-reason').value.trim();
  const location = input('sig-location').value.trim();
  const signingTime = new Date();
  // The plain appearance draws its lines in Helvetica (WinAnsi), which has no Vietnamese letters
  // such as ệ or ơ, so the lines are written without diacritics here; /Reason and /Location keep
  // the full Vietnamese text (they are UTF-16 strings in the signature dictionary).
  const lines = [`Ky boi (signed by): ${ascii(commonName(signerCertificate()))}`, `Ngay (date): ${formatVietnamTime(signingTime)}`];
  if (reason) lines.push(`Ly do (reason): ${ascii(reason)}`);
  if (location) lines.push(`Noi ky (location): ${ascii(location)}`);
  return {
    field: { page: page - 1, rect },
    appearance: { lines },
    signingTime,
    ...(reason ? { reason } : {}),
    ...(location ? { location } : {}),
  };
}

/** Vietnamese text without diacritics (đ → d), for the Helvetica appearance. */
function ascii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

function signerCertificate(): Uint8Array {
  const key = state.key!;
  return key.kind === 'p12' ? key.signer.certificate : key.identity.certificate;
}

async function signWithRemote(pdf: Uint8Array, key: Extract<KeyChoice, { kind: 'remote' }>, options: PdfSignatureOptions): Promise<Uint8Array> {
  // Staged signing: prepare here (no key needed) → the service signs the digest → finish here.
  const prepared = await preparePdfSignature(pdf, { ...options, signer: key.identity });
  const savedState = JSON.stringify(prepared.state); // what a real app keeps (session, IndexedDB, server) while waiting
  say(`Đã chuẩn bị; mã băm cần ký (prepared; digest to sign, ${key.identity.signatureAlgorithm.hash}): ${toHex(prepared.digestToSign).slice(0, 32)}…`);
  const request = JSON.stringify({ credentialId: key.credential.credentialId, hashAlgorithm: key.identity.signatureAlgorithm.hash, hash: toBase64(prepared.digestToSign) });
  say(`→ dịch vụ ký từ xa (to the remote service, ${request.length} byte JSON: chỉ mã băm / digest only)`);
  const response = JSON.parse(await key.service.signHash(request)) as { signature: string };
  const value = fromBase64(response.signature);
  say(`← giá trị chữ ký (signature value, ${value.length} byte)`);
  return finishPdfSignature(prepared.preparedPdf, JSON.parse(savedState), value);
}

function offerDownload(bytes: Uint8Array, name: string): void {
  const link = $<HTMLAnchorElement>('download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
  link.download = name;
  link.hidden = false;
  link.click();
}

$('sign').addEventListener('click', async () => {
  const pdf = state.pdf;
  const key = state.key;
  if (!pdf || !key) return;
  const button = $<HTMLButtonElement>('sign');
  button.disabled = true;
  try {
    const options = signatureOptions();
    const started = performance.now();
    say(key.kind === 'p12' ? 'Đang ký bằng khóa WebCrypto… (signing with the WebCrypto key…)' : 'Đang ký qua dịch vụ từ xa… (signing through the remote service…)');
    const signed = key.kind === 'p12' ? await signPdf(pdf, { ...options, signer: key.signer }) : await signWithRemote(pdf, key, options);
    const name = state.fileName.replace(/(\.signed)?\.pdf$/i, '') + '.signed.pdf';
    say(`Đã ký (signed) trong ${Math.round(performance.now() - started)} ms: ${name}, ${signed.length.toLocaleString('vi-VN')} byte`);
    offerDownload(signed, name);
    // Continue with the signed file: the panel shows the new signature, and a next signature
    // (e.g. the next approver) is appended as another incremental update.
    await openPdf(signed, name);
  } catch (e) {
    say(`Không ký được (signing failed): ${describe(e)}`, true);
  } finally {
    updateSignButton();
  }
});
