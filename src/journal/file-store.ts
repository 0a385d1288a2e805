import { promises as fsp, type Stats } from 'node:fs'
import path from 'node:path'
import { formatEntryLine, type JournalEntry } from './entry.js'
import { describeSkipped, readJournalText, type LoadStats } from './read.js'

/**
 * A journal kept as an append-only JSONL file.
 *
 * Each append is one write of one line followed by fsync, and it resolves only after that,
 * so a result handed to the script is on disk: `kill -9` loses nothing that completed.
 * Appends are serialised so lines never interleave.
 */
export class JournalFile {
  readonly path: string
  readonly stats: LoadStats
  readonly warnings: string[]
  readonly #entries: Map<string, JournalEntry>
  #handle: fsp.FileHandle | undefined
  #queue: Promise<void> = Promise.resolve()
  #needsNewline: boolean

  private constructor(file: string, entries: Map<string, JournalEntry>, stats: LoadStats, needsNewline: boolean) {
    this.path = file
    this.#entries = entries
    this.stats = stats
    this.warnings = describeSkipped(stats, file)
    this.#needsNewline = needsNewline
  }

  /** Loads the journal at `file` (a missing file is an empty journal). */
  static async open(file: string): Promise<JournalFile> {
    let text = ''
    try {
      text = await fsp.readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const { entries, stats } = readJournalText(text)
    return new JournalFile(file, entries, stats, text !== '' && !text.endsWith('\n'))
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
    const handle = await this.#currentHandle()
    // A torn line left by a killed writer must not swallow our first entry.
    const text = this.#needsNewline ? '\n' + line : line
    this.#needsNewline = false
    const bytes = Buffer.from(text, 'utf8')
    let offset = 0
    while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten
    await handle.sync()
  }

  /** Opens the file for appending, reopening it if another run replaced it by compaction. */
  async #currentHandle(): Promise<fsp.FileHandle> {
    if (this.#handle) {
      const [open, onDisk] = await Promise.all([this.#handle.stat(), statOrUndefined(this.path)])
      if (onDisk && onDisk.ino === open.ino && onDisk.dev === open.dev) return this.#handle
      await this.#handle.close()
    }
    await fsp.mkdir(path.dirname(this.path), { recursive: true })
    this.#handle = await fsp.open(this.path, 'a')
    return this.#handle
  }

  /** Waits for pending appends and closes the file. */
  async close(): Promise<void> {
    await this.#queue
    await this.#handle?.close()
    this.#handle = undefined
  }
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fsp.stat(file)
  } catch {
    return undefined
  }
}
