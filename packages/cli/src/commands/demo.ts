import type { Command } from '../command.js';

/** `kyso demo`: the README's main job. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the end-to-end demo',
  help: `Usage: kyso demo [--out-dir DIR]

Creates a throwaway test PKI with a time-stamping authority and an OCSP responder on
127.0.0.1, writes a sample Vietnamese decision, runs the four-step approval (drafter
initials, head of department, leader, clerk issues with the seal) through the workflow
engine and its SQLite store, verifies the result and prints the signature panel.
Everything goes to DIR (default ./kyso-demo). Nothing here is a real key.

Example:
  kyso demo --out-dir /tmp/kyso-demo`,
  options: { 'out-dir': { type: 'string' } },
  async run(values) {
    const { runDemo } = await import('../demo/run-demo.js');
    const result = await runDemo((values['out-dir'] as string | undefined) ?? 'kyso-demo');
    return result.allPassed ? 0 : 1;
  },
};
