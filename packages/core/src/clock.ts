/** Where kyso reads the time from: injected so tests and validation "at a past time" are exact. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers `at` (tests, reproducible fixtures, `--at`). */
export function fixedClock(at: Date | string | number): Clock {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
}

/**
 * Formats `date` in Vietnam time (+07:00), as Decree 30/2020 asks for every time shown:
 * `pattern` takes dd, MM, yyyy, HH, mm, ss; the default is "dd/MM/yyyy HH:mm:ss +07:00".
 */
export function formatVietnamTime(date: Date, pattern = 'dd/MM/yyyy HH:mm:ss +07:00'): string {
  const t = new Date(date.getTime() + 7 * 3600_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return pattern
    .replace('yyyy', String(t.getUTCFullYear()))
    .replace('MM', p2(t.getUTCMonth() + 1))
    .replace('dd', p2(t.getUTCDate()))
    .replace('HH', p2(t.getUTCHours()))
    .replace('mm', p2(t.getUTCMinutes()))
    .replace('ss', p2(t.getUTCSeconds()));
}
