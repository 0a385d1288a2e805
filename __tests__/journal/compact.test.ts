import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { compactJournalFile, DEFAULT_JOURNAL_MAX_BYTES, mergeEntries, selectForCompaction, writeJournalFile } from '../../src/journal/compact.js'
import { formatEntryLine } from '../../src/journal/entry.js'
import { JournalFile } from '../../src/journal/file-store.js'
import { readJournalText } from '../../src/journal/read.js'
import { journalEntry } from '../support/journal-entries.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

/** A valid entry keyed `sha256(seed)#0` and labelled `seed`, finished at second `second` of 2024-01-01. */
function entry(seed: string, second: number, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return journalEntry(seed, { finishedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString(), label: seed, ...overrides })
}

/** Bytes an entry takes in a journal file, newline included. */
const bytes = (e: JournalEntry) => Buffer.byteLength(formatEntryLine(e)) + 1
const seeds = (entries: Iterable<JournalEntry>) => [...entries].map((e) => e.label)

describe('mergeEntries', () => {
  it('unions the keys of every source', () => {
    const merged = mergeEntries([entry('a', 1), entry('b', 2)], [entry('c', 3)], [])
    expect(merged.size).toBe(3)
    expect([...merged.keys()].sort()).toEqual([entry('a', 0).key, entry('b', 0).key, entry('c', 0).key].sort())
  })

  it('keeps the entry finished later when two sources share a key', () => {
    const older = entry('a', 1, { runId: 'older' })
    const newer = entry('a', 5, { runId: 'newer' })
    expect(mergeEntries([newer], [older]).get(older.key)?.runId).toBe('newer')
    expect(mergeEntries([older], [newer]).get(older.key)?.runId).toBe('newer')
  })

  it('keeps the later entry within one source too', () => {
    const merged = mergeEntries([entry('a', 9, { runId: 'late' }), entry('a', 2, { runId: 'early' })])
    expect(merged.get(entry('a', 0).key)?.runId).toBe('late')
  })

  it('accepts any iterable, such as a map of loaded entries', () => {
    const loaded = readJournalText(formatEntryLine(entry('a', 1)) + '\n').entries
    expect(mergeEntries(loaded.values(), new Set([entry('b', 2)])).size).toBe(2)
  })

  it('returns an empty map with no sources', () => {
    expect(mergeEntries().size).toBe(0)
  })
})

describe('selectForCompaction', () => {
  it('keeps everything when it fits, oldest first', () => {
    const all = [entry('c', 3), entry('a', 1), entry('b', 2)]
    expect(seeds(selectForCompaction(all, new Set()))).toEqual(['a', 'b', 'c'])
  })

  it('keeps every entry the run used even past maxBytes', () => {
    const used = [entry('u1', 1), entry('u2', 2), entry('u3', 3)]
    const kept = selectForCompaction([...used, entry('other', 9)], new Set(used.map((e) => e.key)), 10)
    expect(seeds(kept)).toEqual(['u1', 'u2', 'u3'])
  })

  it('fills the space left by used entries with the newest unused ones', () => {
    const used = entry('used', 1)
    const unused = [entry('old', 2), entry('mid', 3), entry('new', 4)]
    const cap = bytes(used) + bytes(unused[1]) + bytes(unused[2])
    const kept = selectForCompaction([used, ...unused], new Set([used.key]), cap)
    expect(seeds(kept)).toEqual(['used', 'mid', 'new'])
  })

  it('counts the used entries against the cap', () => {
    const used = entry('used', 1)
    const unused = [entry('old', 2), entry('new', 3)]
    const kept = selectForCompaction([used, ...unused], new Set([used.key]), bytes(used) + bytes(unused[1]) + 1)
    expect(seeds(kept)).toEqual(['used', 'new'])
  })

  it('skips a newer entry too big to fit and still keeps older ones that do', () => {
    const big = entry('big', 5, { result: 'x'.repeat(1000) })
    const small = [entry('s1', 1), entry('s2', 2)]
    const kept = selectForCompaction([big, ...small], new Set(), bytes(small[0]) + bytes(small[1]) + 10)
    expect(seeds(kept)).toEqual(['s1', 's2'])
  })

  it('keeps an entry that fits exactly at the cap', () => {
    const only = entry('only', 1)
    expect(selectForCompaction([only], new Set(), bytes(only))).toHaveLength(1)
    expect(selectForCompaction([only], new Set(), bytes(only) - 1)).toHaveLength(0)
  })

  it('returns the result oldest first, used and unused entries interleaved by finishedAt', () => {
    const used = entry('u', 4)
    const kept = selectForCompaction([entry('n6', 6), used, entry('n2', 2), entry('n5', 5)], new Set([used.key]))
    expect(seeds(kept)).toEqual(['n2', 'u', 'n5', 'n6'])
  })

  it('ignores used keys that are not among the entries', () => {
    expect(selectForCompaction([entry('a', 1)], new Set([entry('gone', 0).key]))).toHaveLength(1)
  })

  it('has a 64 MiB default cap', () => {
    expect(DEFAULT_JOURNAL_MAX_BYTES).toBe(64 * 1024 * 1024)
  })
})

describe('writeJournalFile and compactJournalFile', () => {
  let dir: string
  let file: string

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-compact-'))
    file = path.join(dir, 'journal.jsonl')
  })

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const load = () => readJournalText(fs.readFileSync(file, 'utf8'))

  it('writeJournalFile writes one line per entry and leaves no temporary file', async () => {
    const all = [entry('a', 1), entry('b', 2)]
    await writeJournalFile(path.join(dir, 'sub', 'j.jsonl'), all)
    expect(fs.readFileSync(path.join(dir, 'sub', 'j.jsonl'), 'utf8')).toBe(all.map((e) => formatEntryLine(e) + '\n').join(''))
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['j.jsonl'])
  })

  it('returns 0 and creates nothing for a missing file', async () => {
    await expect(compactJournalFile(file, new Set())).resolves.toBe(0)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('drops invalid, foreign-version and torn lines and superseded duplicates, returning the kept count', async () => {
    const a = entry('a', 1)
    const b = entry('b', 2)
    const text = [formatEntryLine(a), 'garbage', JSON.stringify({ ...b, v: 3 }), formatEntryLine(b), formatEntryLine({ ...a, finishedAt: entry('a', 4).finishedAt })].join('\n') + '\n{"v":1,"key"'
    fs.writeFileSync(file, text)
    await expect(compactJournalFile(file, new Set())).resolves.toBe(2)
    const { entries, stats } = load()
    expect(stats).toEqual({ entries: 2, torn: 0, invalid: 0, foreignVersion: 0 })
    expect(entries.get(a.key)?.finishedAt).toBe(entry('a', 4).finishedAt)
    expect(fs.readFileSync(file, 'utf8').endsWith('\n')).toBe(true)
  })

  it('applies the size cap while keeping used entries', async () => {
    const used = entry('used', 1, { result: 'u'.repeat(500) })
    const others = [entry('o1', 2), entry('o2', 3), entry('o3', 4)]
    await writeJournalFile(file, [used, ...others])
    const kept = await compactJournalFile(file, new Set([used.key]), bytes(used) + bytes(others[2]) + bytes(others[1]))
    expect(kept).toBe(3)
    expect(seeds(load().entries.values())).toEqual(['used', 'o2', 'o3'])
  })

  it('re-reads the file, so entries another run appended after this one loaded it are kept', async () => {
    const mine = entry('mine', 1)
    await writeJournalFile(file, [mine])
    const loadedByThisRun = await JournalFile.open(file)
    await loadedByThisRun.close()

    const other = await JournalFile.open(file)
    const theirs = entry('theirs', 2)
    await other.append(theirs)
    await other.close()

    expect(loadedByThisRun.get(theirs.key)).toBeUndefined()
    await expect(compactJournalFile(file, new Set([mine.key]))).resolves.toBe(2)
    expect(load().entries.get(theirs.key)).toEqual(theirs)
  })

  it('drops entries appended by someone else when they do not fit, but never used ones', async () => {
    const mine = entry('mine', 1)
    const theirs = entry('theirs', 2, { result: 't'.repeat(2000) })
    await writeJournalFile(file, [mine])
    fs.appendFileSync(file, formatEntryLine(theirs) + '\n')
    await expect(compactJournalFile(file, new Set([mine.key]), bytes(mine) + 100)).resolves.toBe(1)
    expect([...load().entries.keys()]).toEqual([mine.key])
  })

  it('lets a JournalFile that had the file open append to the compacted file', async () => {
    const journal = await JournalFile.open(file)
    const a = entry('a', 1)
    await journal.append(a)
    await compactJournalFile(file, new Set([a.key]))
    const b = entry('b', 2)
    await journal.append(b)
    await journal.close()
    expect(seeds(load().entries.values())).toEqual(['a', 'b'])
  })

  it('survives two compactions of one file running at once in one process', async () => {
    const all = Array.from({ length: 50 }, (_, i) => entry(`e${i}`, i, { result: 'z'.repeat(5000) }))
    await writeJournalFile(file, all)
    const counts = await Promise.all([compactJournalFile(file, new Set()), compactJournalFile(file, new Set())])
    expect(counts).toEqual([50, 50])
    expect(load().stats).toEqual({ entries: 50, torn: 0, invalid: 0, foreignVersion: 0 })
  })
})
