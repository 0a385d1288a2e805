import { describe, expect, it } from '@jest/globals'
import { formatEntryLine } from '../../src/journal/entry.js'
import { describeSkipped, readJournalText } from '../../src/journal/read.js'
import { journalEntry } from '../support/journal-entries.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

/** A valid entry keyed `sha256(seed)#ordinal`; `overrides` replace members. */
function entry(seed: string, overrides: Partial<JournalEntry> = {}, ordinal = 0): JournalEntry {
  return journalEntry(seed, overrides, ordinal)
}

/** JSONL text of these lines, each followed by a newline. */
function jsonl(...lines: string[]): string {
  return lines.map((line) => line + '\n').join('')
}

const line = (e: JournalEntry) => formatEntryLine(e)
const foreign = JSON.stringify({ ...entry('foreign'), v: 2 })

describe('readJournalText', () => {
  it('reads an empty text as an empty journal with nothing skipped', () => {
    expect(readJournalText('')).toEqual({ entries: new Map(), stats: { entries: 0, torn: 0, invalid: 0, foreignVersion: 0 } })
  })

  it('reads every valid line, keyed by the entry key', () => {
    const a = entry('a')
    const b = entry('b')
    const a1 = entry('a', {}, 1)
    const { entries, stats } = readJournalText(jsonl(line(a), line(b), line(a1)))
    expect(stats).toEqual({ entries: 3, torn: 0, invalid: 0, foreignVersion: 0 })
    expect(entries.get(a.key)).toEqual(a)
    expect(entries.get(b.key)).toEqual(b)
    expect(entries.get(a1.key)).toEqual(a1)
  })

  it('lets a later line win for the same key and counts the key once', () => {
    const first = entry('a', { result: 'first', runId: 'r1' })
    const second = entry('a', { result: 'second', runId: 'r2' })
    const { entries, stats } = readJournalText(jsonl(line(first), line(entry('b')), line(second)))
    expect(entries.get(first.key)?.result).toBe('second')
    expect(entries.size).toBe(2)
    expect(stats.entries).toBe(2)
  })

  it('orders entries by their latest write', () => {
    const a = entry('a')
    const b = entry('b')
    const { entries } = readJournalText(jsonl(line(a), line(b), line({ ...a, result: 'again' })))
    expect([...entries.keys()]).toEqual([b.key, a.key])
  })

  it('counts a last line without its newline that does not parse as torn, not invalid', () => {
    const a = entry('a')
    const whole = line(entry('b'))
    const text = jsonl(line(a)) + whole.slice(0, whole.length - 10)
    const { entries, stats } = readJournalText(text)
    expect(stats).toEqual({ entries: 1, torn: 1, invalid: 0, foreignVersion: 0 })
    expect([...entries.keys()]).toEqual([a.key])
  })

  it('keeps a complete last entry that merely lacks its newline', () => {
    const a = entry('a')
    const b = entry('b')
    const { entries, stats } = readJournalText(jsonl(line(a)) + line(b))
    expect(stats).toEqual({ entries: 2, torn: 0, invalid: 0, foreignVersion: 0 })
    expect(entries.get(b.key)).toEqual(b)
  })

  it('counts a broken line in the middle as invalid, not torn', () => {
    const whole = line(entry('b'))
    const text = jsonl(line(entry('a')), whole.slice(0, 30), line(entry('c')))
    expect(readJournalText(text).stats).toEqual({ entries: 2, torn: 0, invalid: 1, foreignVersion: 0 })
  })

  it('counts a broken last line that has its newline as invalid, not torn', () => {
    const text = jsonl(line(entry('a')), '{"v":1,')
    expect(readJournalText(text).stats).toEqual({ entries: 1, torn: 0, invalid: 1, foreignVersion: 0 })
  })

  it('counts lines of another version apart from invalid lines', () => {
    const badKey = JSON.stringify({ ...entry('x'), key: 'not-a-key' })
    const text = jsonl(line(entry('a')), foreign, 'garbage', badKey, '[1]', foreign, line(entry('b')))
    const { entries, stats } = readJournalText(text)
    expect(stats).toEqual({ entries: 2, torn: 0, invalid: 3, foreignVersion: 2 })
    expect(entries.size).toBe(2)
  })

  it('ignores blank and whitespace-only lines without counting them', () => {
    const text = '\n' + jsonl(line(entry('a')), '', '   ', '\t', line(entry('b'))) + '\n\n'
    expect(readJournalText(text).stats).toEqual({ entries: 2, torn: 0, invalid: 0, foreignVersion: 0 })
  })

  it('does not count trailing spaces after the last newline as torn', () => {
    const text = jsonl(line(entry('a'))) + '  '
    expect(readJournalText(text).stats).toEqual({ entries: 1, torn: 0, invalid: 0, foreignVersion: 0 })
  })

  it('never lets an invalid later line remove a valid earlier entry', () => {
    const a = entry('a')
    const broken = JSON.stringify({ ...a, result: undefined })
    const { entries } = readJournalText(jsonl(line(a), broken))
    expect(entries.get(a.key)).toEqual(a)
  })

  it('never throws, whatever the text', () => {
    for (const text of ['\u0000\u0001', '}{', '\n\n\n', 'null\n', '{"v":1}', '"\\u00']) expect(() => readJournalText(text)).not.toThrow()
  })
})

describe('describeSkipped', () => {
  const none = { entries: 5, torn: 0, invalid: 0, foreignVersion: 0 }

  it('says nothing when nothing was skipped', () => {
    expect(describeSkipped(none, 'journal.jsonl')).toEqual([])
  })

  it('explains a torn last line and that complete entries were kept', () => {
    const [sentence, ...rest] = describeSkipped({ ...none, torn: 1 }, 'j.jsonl')
    expect(rest).toEqual([])
    expect(sentence).toMatch(/^j\.jsonl: /)
    expect(sentence).toMatch(/torn last line/)
    expect(sentence).toMatch(/killed/)
    expect(sentence).toMatch(/every complete entry was kept/)
  })

  it('counts invalid lines in the singular and the plural', () => {
    expect(describeSkipped({ ...none, invalid: 1 }, 'j')).toEqual(['j: skipped 1 invalid line'])
    expect(describeSkipped({ ...none, invalid: 3 }, 'j')).toEqual(['j: skipped 3 invalid lines'])
  })

  it('says foreign-version lines came from another version of dynamic-workflow', () => {
    expect(describeSkipped({ ...none, foreignVersion: 1 }, 'j')).toEqual(['j: skipped 1 line written by another version of dynamic-workflow'])
    expect(describeSkipped({ ...none, foreignVersion: 2 }, 'j')).toEqual(['j: skipped 2 lines written by another version of dynamic-workflow'])
  })

  it('gives one sentence per kind, torn first, and describes what readJournalText counted', () => {
    const text = jsonl(foreign, 'garbage', 'more garbage') + '{"v":1,"ke'
    const sentences = describeSkipped(readJournalText(text).stats, 'here')
    expect(sentences).toHaveLength(3)
    expect(sentences[0]).toMatch(/torn/)
    expect(sentences[1]).toBe('here: skipped 2 invalid lines')
    expect(sentences[2]).toBe('here: skipped 1 line written by another version of dynamic-workflow')
  })
})
