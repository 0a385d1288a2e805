import { WorkflowError } from '../core/errors.js'
import { formatBytes } from '../util/bytes.js'

/**
 * Most output one agent answer may have, counted while it arrives (a program's stdout and
 * stderr, a streamed text or tool input). Far beyond a real answer (a model's longest output
 * is well under 1 MB), it keeps a runaway program or a hostile endpoint from filling the
 * runner's memory and the journal.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024

/** The error of an answer stopped at the limit: whose it was, and what the limit is. */
export function answerTooLarge(who: string, limit = MAX_ANSWER_BYTES): WorkflowError {
  return new WorkflowError('PROVIDER', `${who} produced more than ${formatBytes(limit)} of output, the limit for one answer, and was stopped`)
}

/** Counts the bytes of an answer as its pieces arrive; throws `answerTooLarge` past the limit. */
export class AnswerMeter {
  #bytes = 0
  constructor(
    readonly who: string,
    readonly limit = MAX_ANSWER_BYTES,
  ) {}

  add(piece: string | undefined): void {
    if (!piece) return
    this.#bytes += Buffer.byteLength(piece)
    if (this.#bytes > this.limit) throw answerTooLarge(this.who, this.limit)
  }
}
