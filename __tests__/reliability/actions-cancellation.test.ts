import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parseEntryLine } from '../../src/journal/entry.js'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { runAction, type ActionRun, type JobDirs, type RunActionOptions } from '../support/actions/runner.js'

// The ways a runner interrupts the main step, each followed by a re-run of the job: dist/main.js
// and dist/post.js as the runner runs them, the unmodified @actions/cache against the emulator.
// rerun.test.ts has one cancel and one kill; this is the matrix of points and signals.
const SCRIPT = `export const meta = { name: 'interrupted' }
const first = await agent('Plan the review', { label: 'plan' })
const items = Array.from({ length: 12 }, (_, i) => 'item-' + i)
const reviews = await parallel(items.map((item) => () => agent('Review ' + item + ' per ' + first.slice(12, 20), { label: item })))
const checks = []
for (let i = 0; i < 3; i++) checks.push(await agent('Check ' + i + ' of ' + reviews[i * 4].slice(12, 20), { label: 'check-' + i }))
return [first, ...reviews, ...checks].map((answer) => answer.slice(12, 20)).join('')
`
const CALLS = 16
const files = { 'w.js': SCRIPT }

let cache: CacheService
beforeAll(async () => {
  cache = await startCacheService({ scopes: [{ scope: 'refs/heads/feature', permission: CachePermission.readWrite }] })
})
afterAll(() => cache.close())
const jobs: ActionRun[] = []
afterEach(() => {
  cache.faults.clear()
  jobs.splice(0).forEach((job) => job.cleanup())
})

/** One attempt; each case its own run id and cache-key, so no case restores another's journal. */
async function attempt(slot: string, runId: number, runAttempt: number, options: Partial<RunActionOptions> & { latencyMs?: number } = {}): Promise<ActionRun> {
  const run = await runAction({
    ...options,
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', concurrency: '2', 'checkpoint-interval': '1', 'cache-key': slot },
    files,
    runId: String(runId),
    attempt: runAttempt,
    env: { ...cacheEnv(cache), DWF_MOCK_LATENCY_MS: String(options.latencyMs ?? 0) },
  })
  jobs.push(run)
  return run
}

/** Valid entries in an attempt's journal: what was journaled when main ended (post adds none). */
function journaled(job: JobDirs): number {
  const file = path.join(job.stateDir, 'journal', 'interrupted.jsonl')
  if (!fs.existsSync(file)) return 0
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => parseEntryLine(line).ok).length
}

let uninterrupted: string
beforeAll(async () => {
  const run = await attempt('clean', 700, 1)
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'agents-live': String(CALLS) })
  uninterrupted = run.outputs.result!
})

interface Interruption {
  name: string
  options: Partial<RunActionOptions>
  /** How main ends: the signals that may end it (none: it exits by itself), and its status output. */
  main: { signals: NodeJS.Signals[]; status?: string }
  before?: () => void
}

const sigint = (calls: number): Interruption => ({
  name: `SIGINT after ${calls} journaled call${calls === 1 ? '' : 's'} (a cancel: main stops cleanly and saves)`,
  options: { cancelWhen: (w) => journaled(w) >= calls, sigtermAfterMs: 4000, sigkillAfterMs: 2000 },
  main: { signals: [], status: 'stopped' },
})

const INTERRUPTIONS: Interruption[] = [
  sigint(1),
  sigint(3),
  sigint(6),
  { name: 'SIGKILL after 4 journaled calls (a crashed runner process: post saves)', options: { killWhen: (w) => journaled(w) >= 4 }, main: { signals: ['SIGKILL'] } },
  {
    // A step timeout: SIGINT, then SIGTERM and SIGKILL while main is still saving (the save is
    // held by the cache). Main holds SIGINT and SIGTERM through its final save, so only the
    // SIGKILL ends it, mid-save, and post must save instead.
    name: 'a step timeout (SIGINT, SIGTERM, SIGKILL 100 ms apart, main force-killed during its final save)',
    options: { cancelWhen: (w) => journaled(w) >= 2, sigtermAfterMs: 100, sigkillAfterMs: 100 },
    main: { signals: ['SIGKILL'] },
    before: () => cache.faults.delay('CreateCacheEntry', 1500),
  },
]

describe('an interrupted Action run resumes on re-run', () => {
  it.each(INTERRUPTIONS.map((interruption, i) => ({ ...interruption, slot: `cut${i}`, runId: 701 + i })))('$name', async ({ options, main, before, slot, runId }) => {
    before?.()
    const cut = await attempt(slot, runId, 1, { ...options, latencyMs: 150 })
    cache.faults.clear()
    if (main.signals.length) expect(main.signals).toContain(cut.main.signal)
    else expect(cut.main.signal).toBeNull()
    if (main.status) expect(cut.outputs.status).toBe(main.status)
    // Main saved on a clean stop; post saved when main was killed.
    expect(cut.post.stdout).toMatch(main.signals.length ? /did not finish/ : /nothing to do/)
    const completed = journaled(cut)
    expect(completed).toBeGreaterThanOrEqual(1)
    expect(completed).toBeLessThan(CALLS)
    if (main.status) expect(Number(cut.outputs['agents-live'])).toBe(completed)

    const rerun = await attempt(slot, runId, 2)
    expect(rerun.main.code).toBe(0)
    expect(rerun.outputs).toMatchObject({ status: 'succeeded', 'agents-replayed': String(completed), 'agents-live': String(CALLS - completed), 'agents-failed': '0' })
    expect(rerun.outputs.result).toBe(uninterrupted)
    expect(journaled(rerun)).toBe(CALLS)
  })

  it('a cancel after every call completed, while main saves the journal: the re-run replays all of them', async () => {
    // Main holds the cancel until its final save, outputs and comment are written.
    cache.faults.delay('CreateCacheEntry', 1500)
    // Cancelled once the run has ended (its result.json is written) and main is saving (held 1.5 s by the fault).
    const ended = (job: JobDirs) => fs.existsSync(path.join(job.stateDir, 'runs', '720-1-review', 'result.json'))
    const cut = await attempt('late', 720, 1, { cancelWhen: ended, sigtermAfterMs: 4000, sigkillAfterMs: 2000 })
    cache.faults.clear()
    expect(cut.main.signal).toBeNull()
    expect(cut.outputs.status).toBe('succeeded')
    expect(cut.main.stdout).toMatch(/Cancel received: finishing the final save of the journal first\./)
    expect(cut.post.stdout).toMatch(/nothing to do/)
    expect(journaled(cut)).toBe(CALLS)
    const rerun = await attempt('late', 720, 2)
    expect(rerun.outputs).toMatchObject({ status: 'succeeded', 'agents-replayed': String(CALLS), 'agents-live': '0' })
    expect(rerun.outputs.result).toBe(uninterrupted)
  })
})
