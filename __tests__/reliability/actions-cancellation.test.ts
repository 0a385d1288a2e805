import { beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parseEntryLine } from '../../src/journal/entry.js'
import { cacheJobs, journalLines, type CacheJobOptions } from '../support/actions/cache-jobs.js'
import type { Hold } from '../support/actions/emulator.js'
import type { ActionRun, JobDirs } from '../support/actions/runner.js'

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
const jobs = cacheJobs()

/** One attempt; each case its own run id and cache-key, so no case restores another's journal. */
function attempt(slot: string, runId: number, runAttempt: number, options: Partial<CacheJobOptions> = {}): Promise<ActionRun> {
  return jobs.run({
    ...options,
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', concurrency: '2', 'checkpoint-interval': '1', 'cache-key': slot },
    files,
    runId: String(runId),
    attempt: runAttempt,
  })
}

/** Valid entries in an attempt's journal: what was journaled when main ended (post adds none). */
const journaled = (job: JobDirs) => journalLines(job, 'interrupted', (line) => parseEntryLine(line).ok)
/** Main has taken the cancel and is in its final save (it says so before the save starts). */
const holdingTheCancel = (stdout: string) => stdout.includes('Cancel received: finishing the final save of the journal first.')

let uninterrupted: string
beforeAll(async () => {
  const run = await attempt('clean', 700, 1)
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'agents-live': String(CALLS) })
  uninterrupted = run.outputs.result!
})

interface Interruption {
  name: string
  /** The attempt's options; `save` holds the cache's CreateCacheEntry when the case asks for it. */
  options: (save: Hold | undefined) => Partial<CacheJobOptions>
  /** The signals the runner sent, in order; main.signal is the last one when main was killed. */
  sent: NodeJS.Signals[]
  killed: boolean
  /** Hold every cache save while main runs. */
  holdSaves?: boolean
}

const sigint = (calls: number): Interruption => ({
  name: `SIGINT after ${calls} journaled call${calls === 1 ? '' : 's'} (a cancel: main stops cleanly and saves)`,
  options: () => ({ cancelWhen: (w) => journaled(w) >= calls }),
  sent: ['SIGINT'],
  killed: false,
})

const INTERRUPTIONS: Interruption[] = [
  sigint(1),
  sigint(3),
  sigint(6),
  { name: 'SIGKILL after 4 journaled calls (a crashed runner process: post saves)', options: () => ({ killWhen: (w) => journaled(w) >= 4 }), sent: ['SIGKILL'], killed: true },
  {
    // A step timeout: SIGINT, then SIGTERM and SIGKILL while main is in its final save (held by
    // the cache until main is gone). Main holds SIGINT and SIGTERM through its final save, so
    // only the SIGKILL ends it, mid-save, and post must save instead.
    name: 'a step timeout (SIGINT, then SIGTERM and SIGKILL during the final save: main force-killed mid-save)',
    holdSaves: true,
    options: (save) => ({
      cancelWhen: (w) => journaled(w) >= 2,
      escalateWhen: (_, main) => holdingTheCancel(main.stdout) && save!.waiting > 0,
      // The hold is for main: post's save goes through.
      beforePost: () => save!.release(),
    }),
    sent: ['SIGINT', 'SIGTERM', 'SIGKILL'],
    killed: true,
  },
]

describe('an interrupted Action run resumes on re-run', () => {
  it.each(INTERRUPTIONS.map((interruption, i) => ({ ...interruption, slot: `cut${i}`, runId: 701 + i })))('$name', async ({ options, sent, killed, holdSaves, slot, runId }) => {
    const save = holdSaves ? jobs.cache.faults.hold('CreateCacheEntry') : undefined
    const cut = await attempt(slot, runId, 1, { ...options(save), latencyMs: 150 })
    jobs.cache.faults.clear()
    // The order of events, whatever the machine's speed: what the runner sent, and what ended main.
    expect(cut.main.sent).toEqual(sent)
    expect(cut.main.signal).toBe(killed ? sent.at(-1) : null)
    if (!killed) expect(cut.outputs.status).toBe('stopped')
    // Main saved on a clean stop; post saved when main was killed.
    expect(cut.post.stdout).toMatch(killed ? /did not finish/ : /nothing to do/)
    const completed = journaled(cut)
    expect(completed).toBeGreaterThanOrEqual(1)
    expect(completed).toBeLessThan(CALLS)
    if (!killed) expect(Number(cut.outputs['agents-live'])).toBe(completed)

    const rerun = await attempt(slot, runId, 2)
    expect(rerun.main.code).toBe(0)
    expect(rerun.outputs).toMatchObject({ status: 'succeeded', 'agents-replayed': String(completed), 'agents-live': String(CALLS - completed), 'agents-failed': '0' })
    expect(rerun.outputs.result).toBe(uninterrupted)
    expect(journaled(rerun)).toBe(CALLS)
  })

  it('a cancel after every call completed, while main saves the journal: the re-run replays all of them', async () => {
    // Main holds the cancel until its final save, outputs and comment are written.
    const save = jobs.cache.faults.hold('CreateCacheEntry')
    // Cancelled once the run has ended (its result.json is written) and main is saving (held by
    // the cache); the save goes on once main said it took the cancel.
    const ended = (job: JobDirs) => fs.existsSync(path.join(job.stateDir, 'runs', '720-1-review', 'result.json'))
    const cut = await attempt('late', 720, 1, {
      cancelWhen: (job) => ended(job) && save.waiting > 0,
      onMainOutput: (stdout) => {
        if (holdingTheCancel(stdout)) save.release()
      },
    })
    jobs.cache.faults.clear()
    expect(cut.main.sent).toEqual(['SIGINT'])
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
