import fs from 'node:fs'
import { formatBytes } from '../util/bytes.js'
import { FileTooLargeError, readTextFileAtMostAsync } from '../util/bounded-read.js'

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

/** The text of a journal file, or undefined when there is none; one over MAX_JOURNAL_BYTES is refused before it is read. */
export async function readJournalFile(file: string): Promise<string | undefined> {
  try {
    return await readTextFileAtMostAsync(file, MAX_JOURNAL_BYTES)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    if (error instanceof FileTooLargeError) throw new JournalTooLargeError(file, error.bytes)
    throw error
  }
}

/** Throws JournalTooLargeError when the journal at `file` is too large to load, so a run can refuse before it starts. */
export function checkJournalSize(file: string): void {
  let bytes: number
  try {
    bytes = fs.statSync(file).size
  } catch {
    return // no journal yet; opening it will tell anything else
  }
  if (bytes > MAX_JOURNAL_BYTES) throw new JournalTooLargeError(file, bytes)
}
