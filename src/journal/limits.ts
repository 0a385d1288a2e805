import { formatBytes } from '../util/bytes.js'
import { lstatIfExists } from '../util/no-follow-fs.js'
import { readTextIfExists } from '../util/no-follow-read.js'

/**
 * Largest journal file a run loads. A journal is read whole into memory (and a string of
 * over 512 MB cannot even be made), so a larger one, say a restored cache entry built to
 * crash the runner, is refused by name instead. Compaction keeps journals far smaller
 * (64 MB of entries a run did not use, by default).
 */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024

/** A journal too large to load: the message names the file, its size and the limit, and what to do. */
export class JournalTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {
    super(`the journal ${file} is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads; move it away (its entries stay in it) and run again`)
    this.name = 'JournalTooLargeError'
  }
}

/** Throws JournalTooLargeError when the journal at `file` is too large to load (lstat: a link is not followed, and is refused when read). */
export function checkJournalSize(file: string): void {
  const bytes = lstatIfExists(file)?.size ?? 0
  if (bytes > MAX_JOURNAL_BYTES) throw new JournalTooLargeError(file, bytes)
}

/** The text of the journal `file` under `root` (no-follow), or undefined when there is none; one over MAX_JOURNAL_BYTES is refused before it is read. */
export function readJournalFile(root: string, file: string): string | undefined {
  checkJournalSize(file)
  return readTextIfExists(root, file)
}
