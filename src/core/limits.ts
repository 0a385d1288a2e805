/**
 * How much a script may make a run write. Every string and count a script controls ends up
 * in events.jsonl, log.txt, run.json, the terminal and the PR comment, often once per event
 * or once per snapshot write, so each is capped here, in one place, and a script past a cap
 * gets an INVALID_CALL / INVALID_SCRIPT error that names the limit.
 */

/**
 * Longest agent label (characters). Labels are for people, one line in a table, and are
 * written to every event of their call; 1,000 leaves room for any real one.
 */
export const MAX_LABEL_CHARS = 1000

/** Longest phase title (characters), from phase(), meta.phases or the `phase` option. */
export const MAX_PHASE_TITLE_CHARS = 1000

/** Longest model, tier or agent type name (characters), as a script or an agent gives it. */
export const MAX_NAME_CHARS = 1000

/** Longest meta.description and meta.phases[].detail (characters). */
export const MAX_DESCRIPTION_CHARS = 2000

/** Most distinct phases a run may have (meta.phases and phase() together). */
export const MAX_PHASES = 100

/** Most phase changes a run may make: each one is an event, so a loop switching phases is bounded. */
export const MAX_PHASE_CHANGES = 10_000

/** Longest log() line kept (characters); the rest is cut with a note. */
export const MAX_LOG_LINE = 16 * 1024

/** Most log() output a run keeps (bytes of the events written); later lines are dropped with one warning. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024

/**
 * What each log() line costs on top of its text: the event around it in events.jsonl and
 * its line in log.txt. Counted so a loop of empty lines meets the cap too.
 */
export const LOG_LINE_OVERHEAD_BYTES = 100

/**
 * Most JSON a workflow may return. The result is written to events.jsonl, run.json,
 * result.json, stdout and the Action's output; an answer (up to 16 MB) must fit.
 */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024

/** Longest provider error message kept (characters); a failing call can be retried, and each attempt is an event. */
export const MAX_ERROR_MESSAGE_CHARS = 4000

/** Most distinct routing notices (unknown tier, unknown agent type) a run shows. */
export const MAX_NOTICES = 50

/** A string shortened to `max` characters, saying how much was cut. */
export function clipWithNote(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text
}

/** "is 1,048,576 characters long; the limit is 200": the tail of a too-long message. */
export function tooLong(length: number, max: number): string {
  return `is ${length.toLocaleString('en-US')} characters long; the limit is ${max.toLocaleString('en-US')}`
}
