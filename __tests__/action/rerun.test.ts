import { describe, expect, it } from '@jest/globals'
import { cacheJobs, journalLines, type CacheJobOptions } from '../support/actions/cache-jobs.js'
import { CachePermission } from '../support/actions/cache-service.js'
import type { ActionRun, JobDirs } from '../support/actions/runner.js'

// dist/main.js and dist/post.js run as the runner runs them, against the cache emulator with
// the unmodified @actions/cache. (The artifact fallback needs the artifact emulator on the same
// results URL: next step.)
const SCRIPT = `export const meta = { name: 'fanout' }
const items = Array.from({ length: 16 }, (_, i) => 'item-' + i)
const out = await parallel(items.map((item) => () => agent('Review ' + item, { label: item })))
return await agent('Summarise ' + out.length, { label: 'summary' })
`
const files = { 'fanout.workflow.js': SCRIPT }
const inputs = { script: 'fanout.workflow.js', agent: 'mock', artifact: 'false', concurrency: '2', 'checkpoint-interval': '1' }

const jobs = cacheJobs()
const run = (options: Partial<CacheJobOptions>): Promise<ActionRun> => jobs.run({ ...options, inputs: { ...inputs, ...options.inputs }, files })
const journaled = (job: JobDirs) => journalLines(job, 'fanout')

describe('re-running a job resumes it', () => {
  it('a first run journals every call and saves it to the cache', async () => {
    const first = await run({ runId: '501' })
    expect(first.main.code).toBe(0)
    expect(first.outputs).toMatchObject({ status: 'succeeded', 'agents-live': '17', 'agents-replayed': '0' })
    expect(jobs.cache.entries().some((e) => e.key.includes('-501-1-'))).toBe(true)
    expect(first.post.stdout).toMatch(/nothing to do/)
  })

  it('after a cancel, attempt 2 replays every call attempt 1 completed and runs only the rest', async () => {
    // Each test its own cache-key: a run restores the latest journal of its slot.
    const slot = { 'cache-key': 'cancel' }
    const cancelled = await run({ runId: '503', inputs: slot, latencyMs: 150, cancelWhen: (job) => journaled(job) >= 5 })
    // Main stopped by itself on the SIGINT: the runner never had to escalate.
    expect(cancelled.main.sent).toEqual(['SIGINT'])
    expect(cancelled.main.signal).toBeNull()
    expect(cancelled.outputs.status).toBe('stopped')
    expect(cancelled.post.stdout).toMatch(/nothing to do/)
    const completed = Number(cancelled.outputs['agents-live'])
    expect(completed).toBeGreaterThanOrEqual(5)
    expect(completed).toBeLessThan(17)
    const second = await run({ runId: '503', attempt: 2, inputs: slot })
    expect(second.outputs).toMatchObject({ status: 'succeeded', 'agents-replayed': String(completed), 'agents-live': String(17 - completed) })
  })

  it('after main is SIGKILLed, post saves the journal and attempt 2 replays every completed call', async () => {
    const slot = { 'cache-key': 'kill' }
    const killed = await run({ runId: '504', inputs: slot, latencyMs: 150, killWhen: (job) => journaled(job) >= 4 })
    expect(killed.main.signal).toBe('SIGKILL')
    expect(killed.post.stdout).toMatch(/did not finish/)
    const completed = journaled(killed)
    expect(completed).toBeGreaterThanOrEqual(4)
    const second = await run({ runId: '504', attempt: 2, inputs: slot })
    expect(second.outputs).toMatchObject({ status: 'succeeded', 'agents-replayed': String(completed), 'agents-live': String(17 - completed) })
  })

  it('a push after the PR run reuses its journal; another matrix cache-key does not', async () => {
    await run({ runId: '505', inputs: { 'cache-key': 'linux' } })
    const push = await run({ runId: '506', inputs: { 'cache-key': 'linux' } })
    expect(push.outputs).toMatchObject({ 'agents-live': '0', 'agents-replayed': '17' })
    const otherMatrix = await run({ runId: '506', inputs: { 'cache-key': 'windows' } })
    expect(otherMatrix.outputs).toMatchObject({ 'agents-live': '17', 'agents-replayed': '0' })
  })
})

describe('the cache never fails the run', () => {
  it('with the cache service failing every call, the run succeeds with warnings', async () => {
    jobs.cache.faults.fail('*', { status: 403 })
    const result = await run({ runId: '601' })
    expect(result.main.code).toBe(0)
    expect(result.outputs.status).toBe('succeeded')
    expect(result.main.stdout).toMatch(/::warning::/)
  })

  it('with a read-only cache scope, the run restores but does not save, and succeeds', async () => {
    const readOnly = jobs.cache.token([{ scope: 'refs/heads/main', permission: CachePermission.read }])
    const result = await run({ runId: '602', env: { ACTIONS_RUNTIME_TOKEN: readOnly } })
    expect(result.main.code).toBe(0)
    expect(result.outputs.status).toBe('succeeded')
    expect(result.main.stdout).toMatch(/journal was not saved to the cache/)
  })
})
