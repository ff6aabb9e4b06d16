/** Runs the kyso command with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`kyso: ${argv.join(' ')}\n`);
  return 0;
}
