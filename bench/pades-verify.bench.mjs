// Verifying the signed 2,000-page ~40 MB file: the kyso CLI and @kyso/pades/node verifyPdfFile
// next to poppler's pdfsig, all with the fixture root as the only trust anchor (pdfsig through
// an NSS database), in the same run. Run with `pnpm bench pades-verify` after `pnpm build`.
// Goal (issue 4): verifying is no slower than pdfsig.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bigPdf, bundleScript, ensureCliBundle, inProcessRows, interleavedRows, kysoBin, nodeLine, pki, root, runOnce, timeCalls, tryRow } from './shared.mjs';

const self = fileURLToPath(import.meta.url);

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  ensureCliBundle();
  const big = await bigPdf(ctx);
  const signed = `${ctx.work}/verify-signed.pdf`;
  const sign = runOnce(process.execPath, [kysoBin, 'sign', big.path, '-o', signed, '--key', pki('leader.key.pem'), '--cert', pki('leader.pem'), '--chain', pki('leader.chain.pem')]);
  if (sign.code !== 0) throw new Error(`kyso sign failed: ${sign.out}`);
  // pdfsig trusts what an NSS database trusts (FIELD-NOTES.md).
  const nss = `${ctx.work}/nss`;
  runOnce('mkdir', ['-p', nss]);
  runOnce('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  runOnce('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', pki('root.pem')]);

  // The same file after two more approvals: the mission's case, several signatures on one PDF.
  const three = `${ctx.work}/verify-signed-3.pdf`;
  let previous = signed;
  for (const [who, out] of [['head', `${ctx.work}/verify-signed-2.pdf`], ['drafter', three]]) {
    const r = runOnce(process.execPath, [kysoBin, 'sign', previous, '-o', out, '--key', pki(`${who}.key.pem`), '--cert', pki(`${who}.pem`), '--chain', pki(`${who}.chain.pem`)]);
    if (r.code !== 0) throw new Error(`kyso sign failed: ${r.out}`);
    previous = out;
  }
  const checks = {
    cli: runOnce(process.execPath, [kysoBin, 'verify', signed, '--trust', pki('root.pem')]),
    pdfsig: runOnce('pdfsig', ['-nssdir', `sql:${nss}`, signed]),
    cli3: runOnce(process.execPath, [kysoBin, 'verify', three, '--trust', pki('root.pem')]),
    pdfsig3: runOnce('pdfsig', ['-nssdir', `sql:${nss}`, three]),
  };
  const pdfsigNote = (out) => [/Signature is Valid/.test(out) ? 'signature valid' : 'signature NOT valid', /Certificate is Trusted/.test(out) ? 'trusted' : 'NOT trusted'].join(', ');
  // verifyPdfFile in an application bundled with esbuild: what a bundled CLI verifying from the file costs.
  const entry = `${ctx.work}/verify-file-entry.mjs`;
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
import { verifyPdfFile } from ${JSON.stringify(`${root}packages/pades/dist/node/index.js`)};
const report = await verifyPdfFile(process.argv[2], { trustAnchors: [readFileSync(${JSON.stringify(pki('root.pem'))}, 'utf8')] });
if (!report.signatures.length || report.signatures.some((s) => s.indication !== 'TOTAL-PASSED')) process.exit(1);
`,
  );
  const bundled = await bundleScript(entry, ctx.work, 'verify-file-bundled');
  // Node 20 reads the certificates named by NODE_EXTRA_CA_CERTS as it starts, before any script
  // runs (a file of ~140 certificates: ~0.036 s here). Where it is set, Node's own start-up is
  // measured with and without it, and kyso verify without it too, so that the table shows what
  // is kyso's and what is the environment's.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const withoutExtraCa = { env: { NODE_EXTRA_CA_CERTS: undefined } };
  const cliArgs = [kysoBin, 'verify', signed, '--trust', pki('root.pem')];
  const cliNote = checks.cli.code === 0 ? 'TOTAL-PASSED' : `exit ${checks.cli.code}`;
  // The same kyso on the maintained Node lines (this machine's Node 20 reached its end of life in
  // April 2026): they read NODE_EXTRA_CA_CERTS off the start-up path. Fetched from the npm
  // registry once (bench/out/node/); a line that cannot be had gives a row saying why.
  const otherNodes = [22, 24].map((major) => {
    const line = nodeLine(major);
    if (line.error) return { what: `kyso verify --trust root.pem on Node ${major}`, wallS: Number.NaN, peakMB: Number.NaN, note: `not measured: ${line.error}` };
    const check = runOnce(line.path, cliArgs); // also writes that Node's code cache
    const note = `${check.code === 0 ? 'TOTAL-PASSED' : `exit ${check.code}`}${extraCa ? '; NODE_EXTRA_CA_CERTS set, as in this environment' : ''}`;
    return [`kyso verify --trust root.pem on Node ${line.version} (CLI, bundled)`, line.path, cliArgs, { note }];
  });
  // kyso and pdfsig in turns, more runs than other rows: the comparison is close.
  const rows = [
    ...interleavedRows(
      ctx,
      [
        ['kyso verify --trust root.pem (CLI, bundled; verifyPdfFile underneath)', process.execPath, cliArgs, { note: cliNote }],
        ['pdfsig -nssdir (poppler 22, NSS)', 'pdfsig', ['-nssdir', `sql:${nss}`, signed], { note: pdfsigNote(checks.pdfsig.out) }],
        ...otherNodes.filter(Array.isArray),
        ['node -e 0 (Node\'s own start-up and exit)', process.execPath, ['-e', '0'], { note: extraCa ? 'NODE_EXTRA_CA_CERTS set, as in this environment' : '' }],
        ...(extraCa
          ? [
              ['kyso verify --trust root.pem, NODE_EXTRA_CA_CERTS unset', process.execPath, cliArgs, { note: cliNote, ...withoutExtraCa }],
              ['node -e 0, NODE_EXTRA_CA_CERTS unset', process.execPath, ['-e', '0'], withoutExtraCa],
            ]
          : []),
      ],
      Math.max(ctx.repeat, 3) * 3,
    ),
    ...otherNodes.filter((r) => !Array.isArray(r)),
    ...interleavedRows(
      ctx,
      [
        ['three signatures: kyso verify --trust root.pem', process.execPath, [kysoBin, 'verify', three, '--trust', pki('root.pem')], { note: checks.cli3.code === 0 ? '3 × TOTAL-PASSED' : `exit ${checks.cli3.code}` }],
        ['three signatures: pdfsig -nssdir', 'pdfsig', ['-nssdir', `sql:${nss}`, three], { note: (checks.pdfsig3.out.match(/Signature is Valid/g) ?? []).length === 3 ? '3 × valid' : 'NOT all valid' }],
      ],
      Math.max(ctx.repeat, 3),
    ),
    tryRow(ctx, '@kyso/pades/node verifyPdfFile (trust anchor: root)', process.execPath, [self, 'kyso-file', signed]),
    tryRow(ctx, '@kyso/pades/node verifyPdfFile in an esbuild-bundled script', process.execPath, [bundled, signed]),
  ];
  rows.push(...inProcessRows(ctx, '@kyso/pades/node verifyPdfFile', process.execPath, [self, 'in-process', signed]));
  const against = (r, p) =>
    `- ${r.what}: ${r.wallS.toFixed(3)} s wall (best ${r.bestS?.toFixed(3)}, CPU ${r.cpuS?.toFixed(3)}) against pdfsig's ${p.wallS.toFixed(3)} s (best ${p.bestS?.toFixed(3)}, CPU ${p.cpuS?.toFixed(3)}): ${r.wallS <= p.wallS ? 'goal met' : `goal NOT met (${(r.wallS / p.wallS).toFixed(2)}× pdfsig)`}.`;
  const pdfsigRow = rows.find((r) => r.what.startsWith('pdfsig'));
  const row = (start) => rows.find((r) => r.what.startsWith(start));
  // The CLI against pdfsig on each Node line, in one line.
  const ratio = (r) => (r && Number.isFinite(r.wallS) ? `${(r.wallS / pdfsigRow.wallS).toFixed(2)}×` : 'not measured');
  const lines = [`Node ${process.versions.node} (this machine's) ${ratio(rows[0])}`, ...otherNodes.map((o) => (Array.isArray(o) ? `Node ${o[0].match(/Node v([\d.]+)/)[1]} ${ratio(rows.find((r) => r.what === o[0]))}` : `${o.what.replace(/.* on /, '')}: ${o.note}`))];
  const summary = [
    `- \`kyso verify\` of the one-signature file, as a share of pdfsig's time, by Node line: ${lines.join(', ')}.`,
    ...rows.filter((r) => !/pdfsig|running process|three|node -e|UNSET/i.test(`${r.what} ${r.note ?? ''}`) && Number.isFinite(r.wallS)).map((r) => against(r, pdfsigRow)),
    against(row('three signatures: kyso'), row('three signatures: pdfsig')),
    ...(extraCa
      ? [
          `- NODE_EXTRA_CA_CERTS is set in this environment: Node 20 reads those certificates as it starts, so \`node -e 0\` takes ${row('node -e 0 (')?.wallS.toFixed(3)} s here against ${row('node -e 0, NODE')?.wallS.toFixed(3)} s without it, before kyso runs. Without it, ${against(row('kyso verify --trust root.pem, NODE'), pdfsigRow).slice(2)}`,
        ]
      : []),
  ].join('\n');
  return { title: `PAdES verification, ${big.pages} pages, ${(big.size / 1e6).toFixed(1)} MB, one signature (and three)`, goal: 'no slower than pdfsig', rows, summary };
}

async function child(mode, input) {
  if (mode === 'kyso-file') {
    const { verifyPdfFile } = await import('../packages/pades/dist/node/index.js');
    const report = await verifyPdfFile(input, { trustAnchors: [readFileSync(pki('root.pem'), 'utf8')] });
    const bad = report.signatures.filter((s) => s.indication !== 'TOTAL-PASSED');
    if (report.signatures.length === 0 || bad.length) throw new Error(`not TOTAL-PASSED: ${JSON.stringify(bad.map((s) => [s.indication, s.subIndication, s.errors]))}`);
  } else if (mode === 'in-process') {
    const { verifyPdfFile } = await import('../packages/pades/dist/node/index.js');
    const trustAnchors = [readFileSync(pki('root.pem'), 'utf8')];
    await timeCalls(async () => {
      const report = await verifyPdfFile(input, { trustAnchors });
      if (report.signatures[0]?.indication !== 'TOTAL-PASSED') throw new Error('not TOTAL-PASSED');
    });
  } else throw new Error(`unknown mode ${mode}`);
}

if (process.argv[1] === self && process.argv[2]) await child(process.argv[2], process.argv[3]);
