/**
 * How many times slower than a quiet developer machine this one may be: TEST_TIME_SCALE,
 * default 1. Only for tests whose point is a deadline (an idle timeout, a step's escalation
 * schedule); every other test waits for events, not for time, and needs no scaling.
 */
export const TIME_SCALE = Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1)

/** `ms` on this machine. */
export const scaled = (ms: number): number => Math.round(ms * TIME_SCALE)
