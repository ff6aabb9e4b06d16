import type { Command } from '../command.js';
import { out } from '../io.js';

/** `kyso demo`: the README's main job. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the end-to-end demo',
  help: `Usage: kyso demo [--out-dir DIR]

Creates a throwaway test PKI, signs and verifies, and prints what it did.

Example:
  kyso demo --out-dir ./kyso-demo`,
  options: { 'out-dir': { type: 'string' } },
  async run() {
    out('kyso demo: the packages it shows are still being built.');
    return 0;
  },
};
