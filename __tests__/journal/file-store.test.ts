import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { writeJournalFile } from '../../src/journal/compact.js'
import { formatEntryLine, parseEntryLine } from '../../src/journal/entry.js'
import { JournalFile } from '../../src/journal/file-store.js'
import { readJournalText } from '../../src/journal/read.js'
import { journalEntry } from '../support/journal-entries.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

/** A valid entry keyed `sha256(seed)#0`; `overrides` replace members. */
function entry(seed: string, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return journalEntry(seed, { usage: { inputTokens: 1, outputTokens: 2, costUsd: null }, ...overrides })
}

let dir: string
let file: string
const opened: JournalFile[] = []

async function open(at = file): Promise<JournalFile> {
  const journal = await JournalFile.open(at)
  opened.push(journal)
  return journal
}

function fileText(at = file): string {
  return fs.readFileSync(at, 'utf8')
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-journal-'))
  file = path.join(dir, 'journal.jsonl')
})

afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('JournalFile.open', () => {
  it('opens a missing file as an empty journal without creating it', async () => {
    const journal = await open()
    expect(journal.size).toBe(0)
    expect([...journal.entries()]).toEqual([])
    expect(journal.stats).toEqual({ entries: 0, torn: 0, invalid: 0, foreignVersion: 0 })
    expect(journal.warnings).toEqual([])
    expect(journal.path).toBe(file)
    expect(fs.existsSync(file)).toBe(false)
  })

  it('loads the entries of an existing file', async () => {
    const a = entry('a')
    const b = entry('b')
    fs.writeFileSync(file, formatEntryLine(a) + '\n' + formatEntryLine(b) + '\n')
    const journal = await open()
    expect(journal.size).toBe(2)
    expect(journal.get(a.key)).toEqual(a)
    expect(journal.get(b.key)).toEqual(b)
    expect(journal.get(entry('c').key)).toBeUndefined()
  })

  it('warns with numbers about the lines it skipped, naming the file', async () => {
    fs.writeFileSync(file, formatEntryLine(entry('a')) + '\nnot json\n' + JSON.stringify({ ...entry('b'), v: 9 }) + '\n')
    const journal = await open()
    expect(journal.stats).toEqual({ entries: 1, torn: 0, invalid: 1, foreignVersion: 1 })
    expect(journal.warnings).toHaveLength(2)
    expect(journal.warnings.every((w) => w.startsWith(file + ': '))).toBe(true)
    expect(journal.warnings.join('\n')).toMatch(/1 invalid line/)
    expect(journal.warnings.join('\n')).toMatch(/another version/)
  })

  it('creates missing parent directories on the first append', async () => {
    const nested = path.join(dir, 'a', 'b', 'journal.jsonl')
    const journal = await open(nested)
    await journal.append(entry('a'))
    expect(readJournalText(fileText(nested)).stats.entries).toBe(1)
  })
})

describe('JournalFile.append', () => {
  it('has the line on disk when the append resolves', async () => {
    const journal = await open()
    const a = entry('a')
    await journal.append(a)
    expect(fileText()).toBe(formatEntryLine(a) + '\n')
    const b = entry('b')
    await journal.append(b)
    expect(fileText()).toBe(formatEntryLine(a) + '\n' + formatEntryLine(b) + '\n')
  })

  it('makes the entry visible through get() at once', async () => {
    const journal = await open()
    const a = entry('a')
    const pending = journal.append(a)
    expect(journal.get(a.key)).toEqual(a)
    expect(journal.size).toBe(1)
    await pending
  })

  it('never interleaves lines of many concurrent appends with large results', async () => {
    const journal = await open()
    const big = 'x'.repeat(64 * 1024)
    const all = Array.from({ length: 200 }, (_, i) => entry(`e${i}`, { result: { i, text: `${i}:${big}` } }))
    await Promise.all(all.map((e) => journal.append(e)))
    const text = fileText()
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.slice(0, -1).split('\n')
    expect(lines).toHaveLength(200)
    for (const l of lines) expect(parseEntryLine(l).ok).toBe(true)
    const { entries, stats } = readJournalText(text)
    expect(stats).toEqual({ entries: 200, torn: 0, invalid: 0, foreignVersion: 0 })
    for (const e of all) expect(entries.get(e.key)).toEqual(e)
  })

  it('writes concurrent appends in the order they were called', async () => {
    const journal = await open()
    const all = Array.from({ length: 20 }, (_, i) => entry(`o${i}`))
    await Promise.all(all.map((e) => journal.append(e)))
    expect([...readJournalText(fileText()).entries.keys()]).toEqual(all.map((e) => e.key))
  })

  it('keeps the newer entry when a key is appended twice', async () => {
    const journal = await open()
    await journal.append(entry('a', { result: 'old' }))
    await journal.append(entry('a', { result: 'new' }))
    expect(journal.get(entry('a').key)?.result).toBe('new')
    expect(journal.size).toBe(1)
    const reopened = await open()
    expect(reopened.get(entry('a').key)?.result).toBe('new')
  })

  it('appends after the entries already in the file', async () => {
    const a = entry('a')
    fs.writeFileSync(file, formatEntryLine(a) + '\n')
    const journal = await open()
    await journal.append(entry('b'))
    const { entries, stats } = readJournalText(fileText())
    expect(stats.entries).toBe(2)
    expect(entries.get(a.key)).toEqual(a)
  })
})

describe('reopening', () => {
  it('sees every entry appended before', async () => {
    const journal = await open()
    const all = [entry('a'), entry('b', { usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.5 } }), entry('c', { label: 'x', phase: 'P', line: 3 })]
    for (const e of all) await journal.append(e)
    await journal.close()
    const reopened = await open()
    expect(reopened.size).toBe(3)
    for (const e of all) expect(reopened.get(e.key)).toEqual(e)
    expect(reopened.warnings).toEqual([])
  })
})

describe('a torn last line', () => {
  function writeTorn(): JournalEntry {
    const a = entry('a')
    const whole = formatEntryLine(entry('torn'))
    fs.writeFileSync(file, formatEntryLine(a) + '\n' + whole.slice(0, Math.floor(whole.length / 2)))
    return a
  }

  it('is reported by open() as torn, with a warning', async () => {
    const a = writeTorn()
    const journal = await open()
    expect(journal.stats).toEqual({ entries: 1, torn: 1, invalid: 0, foreignVersion: 0 })
    expect(journal.get(a.key)).toEqual(a)
    expect(journal.get(entry('torn').key)).toBeUndefined()
    expect(journal.warnings).toHaveLength(1)
    expect(journal.warnings[0]).toMatch(/torn last line/)
  })

  it('does not swallow the next appended entry', async () => {
    const a = writeTorn()
    const journal = await open()
    const b = entry('b')
    await journal.append(b)
    await journal.close()

    const { entries, stats } = readJournalText(fileText())
    expect(entries.get(a.key)).toEqual(a)
    expect(entries.get(b.key)).toEqual(b)
    // The torn line is now followed by a newline, so it counts as invalid rather than torn.
    expect(stats).toEqual({ entries: 2, torn: 0, invalid: 1, foreignVersion: 0 })

    const reopened = await open()
    expect(reopened.get(b.key)).toEqual(b)
    expect(reopened.size).toBe(2)
  })

  it('separates only the first append, leaving no blank lines after it', async () => {
    writeTorn()
    const journal = await open()
    await journal.append(entry('b'))
    await journal.append(entry('c'))
    const lines = fileText().split('\n')
    expect(lines.filter((l) => l === '')).toEqual(['']) // only the final terminator
    expect(lines.slice(-3, -1)).toEqual([formatEntryLine(entry('b')), formatEntryLine(entry('c'))])
  })
})

describe('a torn line left by another writer after open()', () => {
  it('does not swallow the next appended entry', async () => {
    const journal = await open()
    const a = entry('a')
    await journal.append(a)
    // Another run appending to the same journal is killed half-way through its line.
    const whole = formatEntryLine(entry('killed'))
    fs.appendFileSync(file, whole.slice(0, 40))
    const b = entry('b')
    await journal.append(b)
    await journal.close()
    const { entries } = readJournalText(fileText())
    expect(entries.get(a.key)).toEqual(a)
    expect(entries.get(b.key)).toEqual(b)
  })
})

describe('a file replaced by another process', () => {
  it('sends the next append to the new file after a compaction replaced it', async () => {
    const journal = await open()
    await journal.append(entry('a'))
    const kept = entry('kept')
    await writeJournalFile(file, [kept])
    await journal.append(entry('b'))
    const { entries } = readJournalText(fileText())
    expect([...entries.keys()].sort()).toEqual([kept.key, entry('b').key].sort())
  })

  it('sends the next append to the new file after a rename over it', async () => {
    const journal = await open()
    await journal.append(entry('a'))
    const replacement = path.join(dir, 'replacement.jsonl')
    fs.writeFileSync(replacement, formatEntryLine(entry('other')) + '\n')
    fs.renameSync(replacement, file)
    await journal.append(entry('b'))
    expect(fileText()).toBe(formatEntryLine(entry('other')) + '\n' + formatEntryLine(entry('b')) + '\n')
  })

  it('recreates the file when another process deleted it', async () => {
    const journal = await open()
    await journal.append(entry('a'))
    fs.unlinkSync(file)
    await journal.append(entry('b'))
    expect(fileText()).toBe(formatEntryLine(entry('b')) + '\n')
  })
})

describe('JournalFile.close', () => {
  it('waits for pending appends before it resolves', async () => {
    const journal = await JournalFile.open(file)
    const all = Array.from({ length: 50 }, (_, i) => entry(`c${i}`, { result: 'y'.repeat(10_000) }))
    const appends = all.map((e) => journal.append(e))
    await journal.close()
    const { stats } = readJournalText(fileText())
    expect(stats).toEqual({ entries: 50, torn: 0, invalid: 0, foreignVersion: 0 })
    await Promise.all(appends)
  })

  it('can be called on a journal that never wrote', async () => {
    const journal = await JournalFile.open(file)
    await expect(journal.close()).resolves.toBeUndefined()
    expect(fs.existsSync(file)).toBe(false)
  })

  it('rejects a failed append without blocking later appends or close()', async () => {
    const journal = await open()
    // A directory where the journal file should be makes opening it for append fail.
    fs.mkdirSync(file)
    await expect(journal.append(entry('a'))).rejects.toThrow(/journal\.jsonl is a folder where the runner keeps a file/)
    fs.rmdirSync(file)
    await journal.append(entry('b'))
    await expect(journal.close()).resolves.toBeUndefined()
    expect(fileText()).toBe(formatEntryLine(entry('b')) + '\n')
  })
})

describe('JournalFile.open of an unreadable journal', () => {
  it('fails rather than treating the journal as empty', async () => {
    fs.mkdirSync(file)
    await expect(JournalFile.open(file)).rejects.toThrow(/journal\.jsonl is a folder where the runner keeps a file/)
  })
})
