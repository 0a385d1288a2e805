import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parseEntryLine } from '../../src/journal/entry.js'
import { runCli, tempProject } from '../support/cli.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

// A journal damaged in the ways disks, kills and other versions damage files, under a real
// `dwf run` through dist/cli.js. read.test.ts covers the parser line by line; this is what a user
// sees: the run succeeds, one plain warning line says what was skipped, every valid entry
// replays, and the journal is written back clean.
const SCRIPT = `export const meta = { name: 'worn' }
const [a, b, c] = await parallel(['a', 'b', 'c'].map((x) => () => agent('Inspect ' + x, { label: x })))
const d = await agent('Check ' + a.slice(12, 20), { label: 'd' })
const e = await agent('Close the review', { label: 'e' })
return { a, b, c, d, e }
`
const CALLS = 5

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

/** The clean journal's line per label, and the clean run's result. */
let lines: Record<string, string>
let cleanResult: Record<string, string>
beforeAll(async () => {
  const clean = tempProject({ 'w.js': SCRIPT })
  try {
    const run = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: clean.dir })
    expect(run.json.agents.live).toBe(CALLS)
    cleanResult = run.json.result
    const text = fs.readFileSync(path.join(clean.dir, '.dynamic-workflow', 'journal', 'worn.jsonl'), 'utf8')
    lines = Object.fromEntries(text.trim().split('\n').map((line) => [JSON.parse(line).label, line]))
  } finally {
    clean.cleanup()
  }
})

/** The clean line of a label with members replaced. */
const edited = (label: string, changes: Partial<JournalEntry> | Record<string, unknown>) => JSON.stringify({ ...JSON.parse(lines[label]!), ...changes })
const journalFile = () => path.join(project.dir, '.dynamic-workflow', 'journal', 'worn.jsonl')

/** Runs the script over a journal with this content; returns the run and its warning lines. */
async function runOver(content: string | Buffer) {
  project = tempProject({ 'w.js': SCRIPT })
  fs.mkdirSync(path.dirname(journalFile()), { recursive: true })
  fs.writeFileSync(journalFile(), content)
  const run = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
  expect(run.code).toBe(0)
  expect(run.json.status).toBe('succeeded')
  // Clear words, never a stack trace.
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  return { run, warnings: run.stderr.split('\n').filter((line) => line.startsWith('warning:')) }
}

/** The journal after the run: one valid current-version line per call, newline-terminated. */
function expectRewrittenClean(): JournalEntry[] {
  const text = fs.readFileSync(journalFile(), 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  const entries = text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const parsed = parseEntryLine(line)
      if (!parsed.ok) throw new Error(`not a valid entry after the run: ${line.slice(0, 200)}`)
      return parsed.entry
    })
  expect(entries).toHaveLength(CALLS)
  expect(new Set(entries.map((e) => e.key)).size).toBe(CALLS)
  expect(entries.every((e) => e.v === 1)).toBe(true)
  return entries
}

const jsonl = (...items: string[]) => items.map((item) => item + '\n').join('')

describe('dwf run over a damaged journal', () => {
  it('a torn last line (a kill mid-write): one warning, the complete entries replay', async () => {
    const { run, warnings } = await runOver(jsonl(lines.a!, lines.b!, lines.c!) + lines.d!.slice(0, Math.floor(lines.d!.length / 2)))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/worn\.jsonl: skipped a torn last line .*every complete entry was kept/)
    expect(run.json.agents).toMatchObject({ replayed: 3, live: 2 })
    expect(run.json.result).toEqual(cleanResult)
    expectRewrittenClean()
  })

  it('duplicate keys: the later line wins, silently, and one line per key is written back', async () => {
    const { run, warnings } = await runOver(jsonl(edited('b', { result: 'EARLIER b' }), ...Object.values(lines), edited('b', { result: 'LATER b' })))
    expect(warnings).toEqual([])
    expect(run.json.agents).toMatchObject({ replayed: CALLS, live: 0 })
    expect(run.json.result).toEqual({ ...cleanResult, b: 'LATER b' })
    expect(expectRewrittenClean().find((e) => e.label === 'b')!.result).toBe('LATER b')
  })

  it('entries of a foreign version (v: 99): skipped with one warning, those calls run live, and only v1 is written back', async () => {
    const { run, warnings } = await runOver(jsonl(lines.a!, lines.b!, edited('c', { v: 99 }), edited('d', { v: 99, shape: 'of the future' }), lines.e!))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/worn\.jsonl: skipped 2 lines written by another version of dynamic-workflow/)
    expect(run.json.agents).toMatchObject({ replayed: 3, live: 2 })
    expect(run.json.result).toEqual(cleanResult)
    expectRewrittenClean()
  })

  it('garbage bytes (NULs, invalid UTF-8, stray newlines) between entries: one warning, every entry replays', async () => {
    // A fixed byte soup: every byte value, newlines included, so it spans several lines.
    const garbage = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37 + 11) % 256))
    const { run, warnings } = await runOver(Buffer.concat([Buffer.from(jsonl(lines.a!, lines.b!)), garbage, Buffer.from('\n' + jsonl(lines.c!, lines.d!, lines.e!))]))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/worn\.jsonl: skipped \d+ invalid lines?$/)
    expect(run.json.agents).toMatchObject({ replayed: CALLS, live: 0 })
    expect(run.json.result).toEqual(cleanResult)
    expectRewrittenClean()
  })

  it('an empty file: no warning, every call runs live and is journaled', async () => {
    const { run, warnings } = await runOver('')
    expect(warnings).toEqual([])
    expect(run.json.agents).toMatchObject({ replayed: 0, live: CALLS })
    expect(run.json.result).toEqual(cleanResult)
    expectRewrittenClean()
  })

  it('a huge invalid line (6 MB): one warning, every entry replays', async () => {
    const huge = '{"v":1,"key":"' + 'x'.repeat(6 * 1024 * 1024)
    const { run, warnings } = await runOver(jsonl(lines.a!, huge, lines.b!, lines.c!, lines.d!, lines.e!))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/worn\.jsonl: skipped 1 invalid line$/)
    expect(run.json.agents).toMatchObject({ replayed: CALLS, live: 0 })
    expectRewrittenClean()
  })

  it('a huge valid entry (a 4 MB result): replays whole, no warning, and is written back whole', async () => {
    const big = 'B'.repeat(4 * 1024 * 1024)
    const { run, warnings } = await runOver(jsonl(lines.a!, edited('b', { result: big }), lines.c!, lines.d!, lines.e!))
    expect(warnings).toEqual([])
    expect(run.json.agents).toMatchObject({ replayed: CALLS, live: 0 })
    expect(run.json.result).toEqual({ ...cleanResult, b: big })
    expect(expectRewrittenClean().find((e) => e.label === 'b')!.result).toBe(big)
  })
})
