// Start-up of the kyso command on a small file: the esbuild bundle with its code cache
// (dist/kyso.bundle.cjs, what bin/kyso.cjs runs after `pnpm build`) against tsc's unbundled
// dist/main.js (KYSO_NO_BUNDLE=1),
// with bare `node -e 1` as the floor. Run with `pnpm bench cli-startup` after `pnpm build`.
import { ensureCliBundle, kysoBin, pki, root, runOnce, tryRow } from './shared.mjs';

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  ensureCliBundle();
  const small = `${root}test-fixtures/pdfs/gs-pdfwrite.pdf`;
  const signed = `${ctx.work}/startup-signed.pdf`;
  const key = ['--key', pki('leader.key.pem'), '--cert', pki('leader.pem'), '--chain', pki('leader.chain.pem')];
  const made = runOnce(process.execPath, [kysoBin, 'sign', small, '-o', signed, ...key]);
  if (made.code !== 0) throw new Error(`kyso sign failed: ${made.out}`);
  const n = Math.max(ctx.repeat, 7); // short runs: more of them
  const row = (what, args, env) => tryRow({ ...ctx, repeat: n }, what, process.execPath, args, env ? { env } : {});
  const unbundled = { KYSO_NO_BUNDLE: '1' };
  const commands = [
    ['kyso --help', ['--help']],
    ['kyso verify (small signed PDF, --trust root.pem)', ['verify', signed, '--trust', pki('root.pem')]],
    ['kyso sign (small PDF, PEM key)', ['sign', small, '-o', `${ctx.work}/startup-out.pdf`, ...key]],
  ];
  const rows = [row('node -e 1 (the floor: Node start-up alone)', ['-e', '1'])];
  for (const [what, args] of commands) {
    rows.push(row(`${what}, bundled`, [kysoBin, ...args]));
    rows.push(row(`${what}, unbundled dist/main.js`, [kysoBin, ...args], unbundled));
  }
  return { title: `kyso start-up on a small file (${n} runs per row)`, goal: 'load what a command needs, when it needs it; a bundled CLI starts faster (FIELD-NOTES.md)', rows };
}
