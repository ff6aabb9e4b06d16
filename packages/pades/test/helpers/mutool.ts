import { run } from './tools.js';

/** One "Verifying signature N:" block of `mutool sign -v`. */
export interface MutoolSignature {
  /** The object number mutool names the signature by. */
  readonly object: number;
  readonly distinguishedName: string | null;
  /** The verdict line: "The document is unchanged since signing.", "The signature is valid but there have been edits since signing." or a "Digest error: ..." line. */
  readonly verdict: string | null;
  /** The digest checks out (whether or not later edits exist). */
  readonly valid: boolean;
  /** Later revisions were added after this signature. */
  readonly editedSince: boolean;
}

/** Parses `mutool sign -v` output. */
export function parseMutool(text: string): MutoolSignature[] {
  const blocks = text.split(/^Verifying signature (\d+):\s*$/m);
  const out: MutoolSignature[] = [];
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const body = blocks[i + 1]!;
    const dn = /Distinguished name: (.*)$/m.exec(body);
    const unchanged = /The document is unchanged since signing\./.test(body);
    const edited = /The signature is valid but there have been edits since signing\./.test(body);
    const verdict = /^\s*(The document is unchanged.*|The signature is valid but.*|Digest error:.*|The signature is invalid.*)$/m.exec(body);
    out.push({
      object: Number(blocks[i]),
      distinguishedName: dn ? dn[1]!.trim() : null,
      verdict: verdict ? verdict[1]!.trim() : null,
      valid: unchanged || edited,
      editedSince: edited,
    });
  }
  return out;
}

/** Runs `mutool sign -v file` and parses its report. */
export function mutoolVerify(file: string): MutoolSignature[] {
  const r = run('mutool', ['sign', '-v', file]);
  if (r.status !== 0) throw new Error(`mutool sign -v failed (${r.status}): ${r.stderr}${r.stdout}`);
  return parseMutool(r.stdout);
}
