/**
 * The portal's clock. Everything that compares against "now" (session expiry, lockout windows,
 * enrolment links, deadlines) asks it, so tests can move time forward instead of waiting.
 */
let offsetMs = 0;

/** The current time. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Milliseconds since the epoch, as {@link now}. */
export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** Moves the clock forward by `ms` (tests only; the process clock is never moved in production). */
export function advanceClockForTests(ms: number): void {
  offsetMs += ms;
}

/** Puts the clock back to real time. */
export function resetClockForTests(): void {
  offsetMs = 0;
}
