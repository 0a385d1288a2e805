import { parseEntryLine } from './entry.js'
import { type JournalEntry } from '../core/journal-entry.js'

/** What loading a journal skipped, so callers can warn with numbers rather than silently. */
export interface LoadStats {
  entries: number
  /** A last line without its newline: the writer was killed mid-write. */
  torn: number
  invalid: number
  foreignVersion: number
}

export interface LoadedJournal {
  /** Later lines win per key. */
  entries: Map<string, JournalEntry>
  stats: LoadStats
}

/** Parses JSONL journal text; never throws on bad content. */
export function readJournalText(text: string): LoadedJournal {
  const entries = new Map<string, JournalEntry>()
  const stats: LoadStats = { entries: 0, torn: 0, invalid: 0, foreignVersion: 0 }
  const lines = text.split('\n')
  const lastIsTorn = lines[lines.length - 1] !== ''
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    const parsed = parseEntryLine(line)
    if (parsed.ok) {
      entries.delete(parsed.entry.key) // re-insert so iteration order follows the latest write
      entries.set(parsed.entry.key, parsed.entry)
    } else if (i === lines.length - 1 && lastIsTorn) stats.torn++
    else if (parsed.reason === 'foreign-version') stats.foreignVersion++
    else stats.invalid++
  })
  stats.entries = entries.size
  return { entries, stats }
}

/** One sentence per kind of skipped line, for warnings; empty when nothing was skipped. */
export function describeSkipped(stats: LoadStats, where: string): string[] {
  const out: string[] = []
  if (stats.torn) out.push(`${where}: skipped a torn last line (a run was killed while writing it); every complete entry was kept`)
  if (stats.invalid) out.push(`${where}: skipped ${stats.invalid} invalid line${stats.invalid === 1 ? '' : 's'}`)
  if (stats.foreignVersion)
    out.push(`${where}: skipped ${stats.foreignVersion} line${stats.foreignVersion === 1 ? '' : 's'} written by another version of dynamic-workflow`)
  return out
}
