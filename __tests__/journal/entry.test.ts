import { describe, expect, it } from '@jest/globals'
import { sha256 } from '../../src/util/canonical-json.js'
import { entryProblem, formatEntryLine, parseEntryLine } from '../../src/journal/entry.js'
import { journalEntry } from '../support/journal-entries.js'
import { ENTRY_VERSION, type JournalEntry } from '../../src/core/journal-entry.js'

/** A valid entry whose hash is derived from `seed`; `overrides` replace members. */
function entry(seed: string, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return journalEntry(seed, { components: { prompt: sha256(seed).slice(0, 16) }, usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }, ...overrides })
}

/** The entry as a plain record, with `changes` applied (undefined deletes a member). */
function record(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...entry('a') }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name]
    else out[name] = value
  }
  return out
}

function parseRecord(changes: Record<string, unknown>) {
  return parseEntryLine(JSON.stringify(record(changes)))
}

describe('parseEntryLine', () => {
  it('accepts a valid entry and returns it unchanged', () => {
    const valid = entry('a', { label: 'security', phase: 'Review', line: 12 })
    const parsed = parseEntryLine(formatEntryLine(valid))
    expect(parsed).toEqual({ ok: true, entry: valid })
  })

  it('accepts an ordinal other than #0', () => {
    const hash = sha256('a')
    const parsed = parseEntryLine(formatEntryLine(entry('a', { key: `${hash}#17` })))
    expect(parsed.ok).toBe(true)
  })

  it('reports a line that is not JSON as invalid', () => {
    expect(parseEntryLine('{"v":1,"key":')).toEqual({ ok: false, reason: 'invalid', detail: 'not JSON' })
    expect(parseEntryLine('')).toEqual({ ok: false, reason: 'invalid', detail: 'not JSON' })
  })

  it.each([
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"entry"'],
  ])('reports JSON that is %s as not an object', (_, line) => {
    expect(parseEntryLine(line)).toEqual({ ok: false, reason: 'invalid', detail: 'not an object' })
  })

  it('reports another entry version as foreign, naming the version', () => {
    const parsed = parseRecord({ v: 2 })
    expect(parsed).toEqual({ ok: false, reason: 'foreign-version', detail: 'version 2' })
  })

  it('reports a missing version as foreign rather than invalid', () => {
    const parsed = parseRecord({ v: undefined })
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.reason).toBe('foreign-version')
  })

  it('checks the version before the content, so a future format is never called invalid', () => {
    const parsed = parseEntryLine(JSON.stringify({ v: 2, somethingNew: true }))
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.reason).toBe('foreign-version')
  })

  it('reports a bad entry of this version as invalid with the problem as detail', () => {
    expect(parseRecord({ key: 'nope' })).toEqual({ ok: false, reason: 'invalid', detail: 'bad key' })
  })

  it('reports a line nested deeper than any answer the runner accepts as invalid, without recursing into it', () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)
    const line = (result: string) => JSON.stringify(record({ result: 'R' })).replace('"R"', result)
    // An answer may nest 256 levels (the sandbox and journal limit); its entry wraps it once more.
    expect(parseEntryLine(line(nested(256))).ok).toBe(true)
    expect(parseEntryLine(line(nested(257)))).toEqual({ ok: false, reason: 'invalid', detail: 'nested more than 256 levels deep' })
    expect(parseEntryLine(line(nested(100_000)))).toEqual({ ok: false, reason: 'invalid', detail: 'nested more than 256 levels deep' })
    expect(parseEntryLine(JSON.stringify(record({ extra: 'R' })).replace('"R"', nested(5000))).ok).toBe(false)
  })

  it('uses ENTRY_VERSION 1', () => {
    expect(ENTRY_VERSION).toBe(1)
  })
})

describe('entryProblem', () => {
  it('finds nothing wrong with a valid entry', () => {
    expect(entryProblem(record())).toBeUndefined()
  })

  it('finds nothing wrong with an entry without the optional label, phase and line', () => {
    expect(entryProblem(record({ label: undefined, phase: undefined, line: undefined }))).toBeUndefined()
  })

  it.each([
    ['missing', undefined],
    ['not a string', 42],
    ['without an ordinal', sha256('a')],
    ['with an empty ordinal', `${sha256('a')}#`],
    ['with a leading-zero ordinal', `${sha256('a')}#01`],
    ['with a negative ordinal', `${sha256('a')}#-1`],
    ['with a short hash', `${sha256('a').slice(1)}#0`],
    ['with upper-case hex', `${sha256('a').toUpperCase()}#0`],
    ['with trailing text', `${sha256('a')}#0 `],
  ])('rejects a key that is %s as a bad key', (_, key) => {
    expect(entryProblem(record({ key }))).toBe('bad key')
  })

  it('rejects a hash that does not match the key', () => {
    expect(entryProblem(record({ hash: sha256('b') }))).toBe('hash does not match key')
    expect(entryProblem(record({ hash: undefined }))).toBe('hash does not match key')
  })

  it('rejects an entry without a result', () => {
    expect(entryProblem(record({ result: undefined }))).toBe('no result')
  })

  it('accepts a null or falsy result, which is a real answer', () => {
    expect(entryProblem(record({ result: null }))).toBeUndefined()
    expect(entryProblem(record({ result: '' }))).toBeUndefined()
    expect(entryProblem(record({ result: 0 }))).toBeUndefined()
  })

  it.each([
    ['missing', undefined],
    ['not an object', 'lots'],
    ['an array', [1, 2]],
    ['missing inputTokens', { outputTokens: 1, costUsd: 0 }],
    ['with negative outputTokens', { inputTokens: 1, outputTokens: -1, costUsd: 0 }],
    ['with fractional inputTokens', { inputTokens: 1.5, outputTokens: 1, costUsd: 0 }],
    ['with string tokens', { inputTokens: '1', outputTokens: 1, costUsd: 0 }],
  ])('rejects usage that is %s as bad usage', (_, usage) => {
    expect(entryProblem(record({ usage }))).toBe('bad usage')
  })

  it.each([
    ['negative', -0.01],
    ['a string', '0.01'],
    ['missing', undefined],
  ])('rejects a cost that is %s', (_, costUsd) => {
    const usage: Record<string, unknown> = { inputTokens: 1, outputTokens: 1 }
    if (costUsd !== undefined) usage.costUsd = costUsd
    expect(entryProblem(record({ usage }))).toBe('bad usage cost')
  })

  it.each([
    ['negative', -1],
    ['a string', '1'],
    ['infinite', Infinity],
  ])('rejects a cache saving that is %s (a hostile journal cannot inflate "cache saved")', (_, cacheSavedUsd) => {
    expect(entryProblem(record({ usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.1, cacheSavedUsd } }))).toBe('bad usage cache saving')
    expect(entryProblem(record({ usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.1, cacheSavedUsd: 0.05 } }))).toBeUndefined()
  })

  it('allows a null cost, which means the price is unknown', () => {
    expect(entryProblem(record({ usage: { inputTokens: 3, outputTokens: 4, costUsd: null } }))).toBeUndefined()
    const parsed = parseRecord({ usage: { inputTokens: 3, outputTokens: 4, costUsd: null } })
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(parsed.entry.usage.costUsd).toBeNull()
  })

  it('allows a zero cost and zero tokens', () => {
    expect(entryProblem(record({ usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } }))).toBeUndefined()
  })

  it('rejects a missing provider or model', () => {
    expect(entryProblem(record({ provider: undefined }))).toBe('bad provider or model')
    expect(entryProblem(record({ model: 7 }))).toBe('bad provider or model')
  })

  it('rejects components that are not an object', () => {
    expect(entryProblem(record({ components: undefined }))).toBe('bad components')
    expect(entryProblem(record({ components: ['prompt'] }))).toBe('bad components')
  })

  it('rejects a missing finishedAt or runId', () => {
    expect(entryProblem(record({ finishedAt: undefined }))).toBe('bad finishedAt or runId')
    expect(entryProblem(record({ runId: 1 }))).toBe('bad finishedAt or runId')
  })

  it('rejects a durationMs that is not a number', () => {
    expect(entryProblem(record({ durationMs: '1' }))).toBe('bad durationMs')
  })
})

describe('formatEntryLine', () => {
  it('writes one line of JSON without a trailing newline', () => {
    const line = formatEntryLine(entry('a', { result: { text: 'line one\nline two' } }))
    expect(line).not.toContain('\n')
    expect(line.endsWith('}')).toBe(true)
    expect(JSON.parse(line)).toEqual(entry('a', { result: { text: 'line one\nline two' } }))
  })

  it('round-trips through parseEntryLine', () => {
    const original = entry('round trip', { usage: { inputTokens: 1, outputTokens: 2, costUsd: null }, result: [1, 'two', { three: 3 }] })
    const parsed = parseEntryLine(formatEntryLine(original))
    expect(parsed.ok && parsed.entry).toEqual(original)
  })
})
