// Every command's --help shows real examples: each "Examples:" line is parsed with that
// command's own option table, so an example with a misspelt or removed option fails here.
import { describe, expect, it } from 'vitest';
import { parseFor, type Command } from '../src/command.js';
import { cadesSignCommand } from '../src/commands/cades-sign.js';
import { cadesVerifyCommand } from '../src/commands/cades-verify.js';
import { certVerifyCommand } from '../src/commands/cert-verify.js';
import { demoCommand } from '../src/commands/demo.js';
import { extendCommand } from '../src/commands/extend.js';
import { inspectCommand } from '../src/commands/inspect.js';
import { signCommand } from '../src/commands/sign.js';
import { verifyCommand } from '../src/commands/verify.js';
import { workflowCommand } from '../src/commands/workflow.js';
import { main } from '../src/main.js';

const COMMANDS: Record<string, Command> = {
  sign: signCommand,
  verify: verifyCommand,
  inspect: inspectCommand,
  'cades sign': cadesSignCommand,
  'cades verify': cadesVerifyCommand,
  'cert verify': certVerifyCommand,
  workflow: workflowCommand,
  demo: demoCommand,
  extend: extendCommand,
};
const NAMES = Object.keys(COMMANDS);

/** Runs `main` in this process and captures stdout. */
async function help(argv: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await main(argv, { stdout: (t) => (text += t) });
  return { code, text };
}

/** Splits a shell line into words (double and single quotes, no expansions). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The example command lines of a help text, with `\` continuations joined. */
function examples(text: string): string[] {
  const at = text.search(/^Examples?:$/m);
  if (at < 0) return [];
  return text
    .slice(at)
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('kyso '));
}

describe('kyso <command> --help', () => {
  it('every command the top-level help lists is checked here, and answers --help with exit 0', async () => {
    const r = await help(['--help']);
    expect(r.code).toBe(0);
    const listed = [...r.text.matchAll(/^ {2}([a-z]+(?: [a-z]+)?) {2,}/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(5);
    for (const n of listed) {
      expect(NAMES, `add "${n}" to COMMANDS in this test`).toContain(n);
      const h = await help([...n.split(' '), '--help']);
      expect(h.code).toBe(0);
      expect(h.text.trimEnd()).toBe(COMMANDS[n]!.help.trimEnd());
    }
    expect((await help([])).code).toBe(2); // no command at all: the same text, exit 2
  });

  for (const name of NAMES) {
    it(`${name}: a usage line, and examples that parse with its options`, () => {
      const cmd = COMMANDS[name]!;
      expect(cmd.help).toMatch(new RegExp(`^Usage: kyso ${name}`));
      const lines = examples(cmd.help);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const argv = words(line);
        expect(argv.slice(0, 1 + name.split(' ').length).join(' '), line).toBe(`kyso ${name}`);
        expect(() => parseFor(cmd, argv.slice(1 + name.split(' ').length)), line).not.toThrow();
      }
    });
  }
});
