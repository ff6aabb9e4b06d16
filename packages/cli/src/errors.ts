import { KysoError } from '@kyso/core';

/** Bad usage of the command line: exit code 2, with a hint about the right call. */
export class UsageError extends KysoError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
