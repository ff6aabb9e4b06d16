// `pnpm bench`: runs every bench/*.bench.mjs (after `pnpm build`) and writes bench/RESULTS.md.
// Each bench exports `async function run(ctx)` returning { title, goal?, rows: [{ what, wallS, bestS?, cpuS?, peakMB, note? }], summary? }
// (`summary`: markdown printed under the table, e.g. which goals the rows meet).
// Wall and CPU time are medians of `ctx.repeat` runs of a child process; peak memory is that
// process's maximum resident set size (GNU time's %M).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
// BENCH_REPEAT=5 pnpm bench: more runs per row on a noisy machine.
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const loadBefore = loadavg()[0];
const work = mkdtempSync(`${tmpdir()}/kyso-bench-`);

/**
 * Runs `cmd args` `n` times; returns the median and the best wall seconds, the median CPU
 * seconds (user + system: less sensitive than wall time to other jobs on a shared machine) and
 * the maximum peak RSS in MB.
 */
export function measure(cmd, args, { n = 3, env } = {}) {
  const walls = [];
  const cpus = [];
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    // A variable given as undefined is removed from the environment.
    const vars = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
    const res = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { env: vars, stdio: ['ignore', 'ignore', 'pipe'] });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}): ${res.stderr}`);
    // GNU time writes "%U %S %M" (CPU seconds, peak RSS in KiB) as the last line of stderr.
    const [user, sys, kb] = res.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
    cpus.push(user + sys);
    peak = Math.max(peak, kb / 1024);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { wallS: median(walls), bestS: Math.min(...walls), cpuS: median(cpus), peakMB: peak };
}

const sections = [];
try {
  for (const f of readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()) {
    if (only && !f.includes(only)) continue;
    console.log(`bench: ${f}`);
    const mod = await import(here + f);
    const r = await mod.run({ work, measure, repeat });
    const s = (v) => (v === undefined ? '' : v < 0.01 && v > 0 ? v.toPrecision(2) : v.toFixed(3));
    const table = [
      '| what | wall (s, median) | wall (s, best) | CPU (s, median) | peak RSS (MB) | note |',
      '|---|---|---|---|---|---|',
      ...r.rows.map((x) => `| ${x.what} | ${s(x.wallS)} | ${s(x.bestS)} | ${s(x.cpuS)} | ${x.peakMB.toFixed(0)} | ${x.note ?? ''} |`),
    ];
    sections.push(`## ${r.title}\n\n${r.goal ? `Goal: ${r.goal}\n\n` : ''}${table.join('\n')}\n${r.summary ? `\n${r.summary}\n` : ''}`);
    console.log(table.join('\n'));
    if (r.summary) console.log(r.summary);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const head = `# Benchmark results\n\nWritten by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end. Wall and CPU (user + system) times are medians of ${repeat} runs of a whole process (start-up included), "best" the fastest run, peak RSS the largest. Shared machines are noisy (other jobs run beside the bench), so read proportions, not promises. See [README.md](README.md) for what is measured and the goals.\n\n`;
if (!only) writeFileSync(here + 'RESULTS.md', head + sections.join('\n'));
