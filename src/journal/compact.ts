import path from 'node:path'
import { writeFileAtomically } from '../util/no-follow-write.js'
import { formatEntryLine } from './entry.js'
import { readJournalFile } from './limits.js'
import { readJournalText } from './read.js'
import { type JournalEntry } from '../core/journal-entry.js'

/** Default cap on a compacted journal. Entries the run used are kept even past it. */
export const DEFAULT_JOURNAL_MAX_BYTES = 64 * 1024 * 1024

/**
 * Merges journals (several restored caches, shards, artifacts). Entries are content-addressed,
 * so two entries with one key are interchangeable; the newer one is kept.
 */
export function mergeEntries(...sources: Iterable<JournalEntry>[]): Map<string, JournalEntry> {
  const merged = new Map<string, JournalEntry>()
  for (const source of sources)
    for (const entry of source) {
      const have = merged.get(entry.key)
      if (!have || have.finishedAt <= entry.finishedAt) merged.set(entry.key, entry)
    }
  return merged
}

/**
 * Chooses what a compacted journal keeps: every entry the run used (replayed or produced),
 * then the entries it did not reach, newest first, while the total stays under `maxBytes`.
 * Returned oldest first, the order a journal is written in.
 */
export function selectForCompaction(entries: Iterable<JournalEntry>, used: ReadonlySet<string>, maxBytes = DEFAULT_JOURNAL_MAX_BYTES): JournalEntry[] {
  const kept: JournalEntry[] = []
  const others: JournalEntry[] = []
  let bytes = 0
  for (const entry of entries) {
    if (used.has(entry.key)) {
      kept.push(entry)
      bytes += lineBytes(entry)
    } else others.push(entry)
  }
  others.sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0))
  for (const entry of others) {
    const size = lineBytes(entry)
    if (bytes + size > maxBytes) continue
    kept.push(entry)
    bytes += size
  }
  return kept.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0))
}

/** Where a journal may be written: every folder from `root` down to it is checked (default: the journal's folder). */
export interface JournalWriteOptions {
  root?: string
}

/**
 * Replaces `file` atomically (a temporary file of unpredictable name, fsync, rename) with
 * these entries. A link or anything but a regular file at `file` is refused, never replaced.
 */
export async function writeJournalFile(file: string, entries: Iterable<JournalEntry>, options: JournalWriteOptions = {}): Promise<void> {
  let text = ''
  for (const entry of entries) text += formatEntryLine(entry) + '\n'
  writeFileAtomically(options.root ?? path.dirname(file), file, text, { durable: true })
}

/**
 * Compacts the journal file in place. It re-reads the file first, so entries that other
 * processes appended since this run loaded it are merged rather than lost.
 */
export async function compactJournalFile(file: string, used: ReadonlySet<string>, maxBytes = DEFAULT_JOURNAL_MAX_BYTES, options: JournalWriteOptions = {}): Promise<number> {
  // Checked before the read and again before the rename: a link is never read through nor replaced.
  const text = readJournalFile(options.root ?? path.dirname(file), file)
  if (text === undefined) return 0
  const kept = selectForCompaction(readJournalText(text).entries.values(), used, maxBytes)
  await writeJournalFile(file, kept, options)
  return kept.length
}

function lineBytes(entry: JournalEntry): number {
  return Buffer.byteLength(formatEntryLine(entry)) + 1
}
