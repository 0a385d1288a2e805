import { type promises as fsp } from 'node:fs'
import path from 'node:path'
import { lstatIfExists } from '../util/no-follow-fs.js'
import { openHandleForAppend } from '../util/no-follow-write.js'
import { formatEntryLine } from './entry.js'
import { readJournalFile } from './limits.js'
import { describeSkipped, readJournalText, type LoadStats } from './read.js'
import { type JournalEntry } from '../core/journal-entry.js'

export interface JournalFileOptions {
  /** The folder the journal is confined to (every folder from it down is checked); default: the journal's folder. */
  root?: string
}

/**
 * A journal kept as an append-only JSONL file.
 *
 * Each append is one write of one line followed by fsync, and it resolves only after that,
 * so a result handed to the script is on disk: `kill -9` loses nothing that completed.
 * Appends are serialised so lines never interleave.
 *
 * The file lives in a folder that may be hostile (a checkout, a restored cache): it is read
 * and opened only through src/util/no-follow-*.ts, from `root` down, so a link, a pipe or a
 * hard link at its path is refused rather than followed.
 */

export class JournalFile {
  readonly path: string
  readonly root: string
  readonly stats: LoadStats
  readonly warnings: string[]
  readonly #entries: Map<string, JournalEntry>
  #handle: fsp.FileHandle | undefined
  #queue: Promise<void> = Promise.resolve()

  private constructor(file: string, root: string, entries: Map<string, JournalEntry>, stats: LoadStats) {
    this.path = file
    this.root = root
    this.#entries = entries
    this.stats = stats
    this.warnings = describeSkipped(stats, file)
  }

  /** Loads the journal at `file` (a missing file is an empty journal; one over MAX_JOURNAL_BYTES throws JournalTooLargeError). */
  static async open(file: string, options: JournalFileOptions = {}): Promise<JournalFile> {
    const root = options.root ?? path.dirname(file)
    const { entries, stats } = readJournalText(readJournalFile(root, file) ?? '')
    return new JournalFile(file, root, entries, stats)
  }

  get size(): number {
    return this.#entries.size
  }

  get(key: string): JournalEntry | undefined {
    return this.#entries.get(key)
  }

  entries(): IterableIterator<JournalEntry> {
    return this.#entries.values()
  }

  /** Writes the entry durably; resolves once it is fsynced. */
  append(entry: JournalEntry): Promise<void> {
    this.#entries.set(entry.key, entry)
    const line = formatEntryLine(entry) + '\n'
    const done = this.#queue.then(() => this.#write(line))
    this.#queue = done.catch(() => {})
    return done
  }

  async #write(line: string): Promise<void> {
    const { handle, size } = await this.#currentHandle()
    // A torn line left by a killed writer (this run's predecessor, or another run sharing
    // the journal) must not swallow our entry: end it first.
    const text = (await endsTorn(handle, size)) ? '\n' + line : line
    const bytes = Buffer.from(text, 'utf8')
    let offset = 0
    while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten
    await handle.sync()
  }

  /** The file open for appending, and its size; reopened if another run replaced it by compaction. */
  async #currentHandle(): Promise<{ handle: fsp.FileHandle; size: number }> {
    if (this.#handle) {
      const open = await this.#handle.stat()
      const onDisk = lstatIfExists(this.path)
      if (onDisk && onDisk.ino === open.ino && onDisk.dev === open.dev) return { handle: this.#handle, size: open.size }
      await this.#handle.close()
      this.#handle = undefined
    }
    this.#handle = await openHandleForAppend(this.root, this.path)
    return { handle: this.#handle, size: (await this.#handle.stat()).size }
  }

  /** Waits for pending appends and closes the file. */
  async close(): Promise<void> {
    await this.#queue
    await this.#handle?.close()
    this.#handle = undefined
  }
}

/** Whether the file's last byte is not a newline (an unfinished line). */
async function endsTorn(handle: fsp.FileHandle, size: number): Promise<boolean> {
  if (size === 0) return false
  const last = Buffer.alloc(1)
  await handle.read(last, 0, 1, size - 1)
  return last[0] !== 0x0a
}
