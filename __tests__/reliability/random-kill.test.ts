import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { parseEntryLine } from '../../src/journal/entry.js'
import { finish, journalLines, runCli, startCli, tempProject, waitFor } from '../support/cli.js'
import { scaled } from '../support/time-scale.js'

// kill -9 at random points of a mixed sequential / parallel run, then a plain re-run. The kill
// points come from a seeded PRNG: a failure names its seed, and DWF_RELIABILITY_SEED=<seed>
// replays exactly those kill points (kill.test.ts covers the fixed points).
const SCRIPT = `export const meta = { name: 'mixed' }
phase('Seed')
const seeds = []
for (let i = 0; i < 6; i++) seeds.push(await agent('Seed ' + i, { label: 'seed-' + i }))
phase('Wide')
const wide = await parallel(Array.from({ length: 16 }, (_, i) => () => agent('Wide ' + i + ' from ' + seeds[i % 6].slice(12, 20), { label: 'wide-' + i })))
phase('Chain')
let link = ''
const links = []
for (let i = 0; i < 8; i++) links.push((link = await agent('Link ' + i + ' after ' + link.slice(12, 20), { label: 'link-' + i })))
phase('Fan')
const fan = await parallel(Array.from({ length: 6 }, (_, i) => () => agent('Fan ' + i + ' over ' + links[7].slice(12, 20), { label: 'fan-' + i })))
// Every answer's hash, in order: a changed, lost or reordered answer changes the result.
return [...seeds, ...wide, ...links, ...fan].map((answer) => answer.slice(12, 20)).join('')
`
const CALLS = 36
const CONCURRENCY = 4
// Long enough that the run is still going when the kill lands on a busy machine: at least 6
// calls' latency (4 in sequence, then 2 rounds) is left after the last kill point.
const LATENCY_MS = scaled(100)
const TRIALS = 12
/** Kill once at most this many calls are journaled: 10 calls, 4 of them in sequence, still to run. */
const LAST_KILL_POINT = CALLS - 10

const baseSeed = Number(process.env.DWF_RELIABILITY_SEED ?? Date.now() % 1_000_000_000)
// The seed in the log too: a reader of a green run can still replay its kill points.
console.log(`random-kill: seed ${baseSeed} (DWF_RELIABILITY_SEED=${baseSeed} replays these kill points)`)

/** mulberry32: small, seedable, good enough to spread kill points. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Labels of the calls a run started live, from its plain progress lines (stderr is a pipe, written synchronously). */
function startedLabels(stderr: string): string[] {
  return [...stderr.matchAll(/^● (?:\[[^\]]*\] )?(\S+) started \(/gm)].map((m) => m[1]!)
}

/** The labels of the valid entries in a journal (a kill mid-write may leave a torn last line). */
function journaledLabels(state: string): string[] {
  return journalLines(state, 'mixed').flatMap((line) => {
    const parsed = parseEntryLine(line)
    return parsed.ok ? [parsed.entry.label!] : []
  })
}

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

let uninterrupted: unknown
beforeAll(async () => {
  const clean = tempProject({ 'w.js': SCRIPT })
  try {
    const run = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: clean.dir })
    expect(run.json.agents).toMatchObject({ total: CALLS, live: CALLS })
    uninterrupted = run.json.result
  } finally {
    clean.cleanup()
  }
})

describe(`kill -9 at ${TRIALS} random points (seed ${baseSeed})`, () => {
  const trials = Array.from({ length: TRIALS }, (_, i) => {
    const random = prng(baseSeed + i)
    // After the k-th journal line, wait part of a call's latency: kills land inside calls and writes too.
    return { trial: i + 1, seed: baseSeed + i, afterLines: 1 + Math.floor(random() * LAST_KILL_POINT), extraMs: Math.floor(random() * LATENCY_MS) }
  })

  it.each(trials)('trial $trial (seed $seed): kill after $afterLines journaled calls + $extraMs ms, then a re-run loses nothing', async ({ afterLines, extraMs }) => {
    project = tempProject({ 'w.js': SCRIPT })
    const state = path.join(project.dir, '.dynamic-workflow')
    const args = ['run', 'w.js', '--agent', 'mock', '--concurrency', String(CONCURRENCY)]
    const child = startCli(args, { cwd: project.dir, env: { DWF_MOCK_LATENCY_MS: String(LATENCY_MS) } })
    await waitFor(() => journalLines(state, 'mixed').length >= afterLines, 30_000, `${afterLines} journal lines`)
    await new Promise((r) => setTimeout(r, extraMs))
    child.kill('SIGKILL')
    const killed = await finish(child)
    expect(killed.signal).toBe('SIGKILL')

    const journaled = journaledLabels(state)
    const startedBefore = startedLabels(killed.stderr)
    // In flight at the kill: started live, not journaled. A call keeps its slot until its
    // entry is fsynced, so at most `concurrency` paid answers can be lost to a kill.
    const inFlight = startedBefore.filter((label) => !journaled.includes(label))
    expect(journaled.every((label) => startedBefore.includes(label))).toBe(true)
    expect(inFlight.length).toBeLessThanOrEqual(CONCURRENCY)

    const again = await runCli([...args, '--json'], { cwd: project.dir })
    expect(again.code).toBe(0)
    // 0 completed calls lost: every journaled call replays; only the others run live.
    expect(again.json.agents).toEqual({ total: CALLS, live: CALLS - journaled.length, replayed: journaled.length, failed: 0 })
    const startedAfter = startedLabels(again.stderr)
    expect(startedAfter.filter((label) => journaled.includes(label))).toEqual([])
    // Paid twice: only calls that were in flight at the kill.
    expect(startedAfter.filter((label) => startedBefore.includes(label)).every((label) => inFlight.includes(label))).toBe(true)
    expect(startedBefore.length + startedAfter.length).toBeLessThanOrEqual(CALLS + inFlight.length)
    expect(again.json.result).toEqual(uninterrupted)
    // The re-run's compaction leaves one valid line per call.
    expect(journaledLabels(state)).toHaveLength(CALLS)
    expect(journalLines(state, 'mixed')).toHaveLength(CALLS)
  })
})
