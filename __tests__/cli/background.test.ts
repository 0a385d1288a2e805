import { afterEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { journalLines, runCli, tempProject, waitFor } from '../support/cli.js'
import { scaled } from '../support/time-scale.js'

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const SLOW = `export const meta = { name: 'slow', description: 'twenty steps' }
const out = []
for (let i = 0; i < 20; i++) out.push(await agent('Step ' + i, { label: 'step-' + i }))
return out.length
`
const dwf = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.dir, env })
const state = () => path.join(project.dir, '.dynamic-workflow')

/**
 * Starts SLOW in the background. The mock's latency per call keeps the run going while the
 * test's next commands (each a new process, slow on a busy machine) look at it.
 */
async function startBackground(latencyMs: number) {
  const started = await dwf(['run', 'w.js', '--agent', 'mock', '--background', '--json'], { DWF_MOCK_LATENCY_MS: String(latencyMs) })
  expect(started.code).toBe(0)
  expect(started.json).toMatchObject({ name: 'slow', status: 'running', pid: expect.any(Number) })
  return started.json.runId as string
}

const statusOf = async (runId: string) => (await dwf(['status', runId, '--json'])).json

describe('background runs', () => {
  it('returns at once, shows as running with its pid, and finishes on its own', async () => {
    project = tempProject({ 'w.js': SLOW })
    const runId = await startBackground(scaled(200))
    const listed = await dwf(['list', '--json'])
    expect(listed.json[0]).toMatchObject({ runId, name: 'slow', status: 'running', pid: expect.any(Number) })
    const followed = await dwf(['logs', runId, '-f'])
    expect(followed.code).toBe(0)
    expect(followed.stdout).toMatch(/✓ step-19/)
    const done = await statusOf(runId)
    expect(done.status).toBe('succeeded')
    expect(done.totals.agents).toMatchObject({ total: 20, live: 20 })
    expect(fs.existsSync(path.join(state(), 'runs', runId, 'pid'))).toBe(false)
    expect(JSON.parse(fs.readFileSync(path.join(state(), 'runs', runId, 'result.json'), 'utf8'))).toEqual({ status: 'succeeded', result: 20 })
  })

  it('stops cleanly on dwf stop, keeps the journal, and resumes with every completed call replayed', async () => {
    project = tempProject({ 'w.js': SLOW })
    const runId = await startBackground(scaled(300))
    await waitFor(() => journalLines(state(), 'slow').length >= 3, 20_000, 'three journaled calls')
    const stopped = await dwf(['stop', runId])
    expect(stopped.code).toBe(0)
    expect(stopped.stderr).toMatch(new RegExp(`stopped run ${runId} \\(stopped\\)`))
    const after = await statusOf(runId)
    expect(after.status).toBe('stopped')
    const completed = journalLines(state(), 'slow').length
    expect(after.totals.agents.live).toBe(completed)
    const resumed = await dwf(['resume', runId, '--json'])
    expect(resumed.code).toBe(0)
    expect(resumed.json.agents).toMatchObject({ total: 20, replayed: completed, live: 20 - completed })
  })

  it('notices a dead worker (stale PID marker) and shows the run as interrupted', async () => {
    project = tempProject({ 'w.js': SLOW })
    const runId = await startBackground(scaled(200))
    await waitFor(() => journalLines(state(), 'slow').length >= 1, 20_000, 'one journaled call')
    const marker = JSON.parse(fs.readFileSync(path.join(state(), 'runs', runId, 'pid'), 'utf8'))
    process.kill(marker.pid, 'SIGKILL')
    await waitFor(() => {
      try {
        process.kill(marker.pid, 0)
        return false
      } catch {
        return true
      }
    }, 10_000, 'the worker to die')
    expect((await dwf(['list', '--json'])).json[0]).toMatchObject({ runId, status: 'interrupted' })
    expect((await statusOf(runId)).status).toBe('interrupted')
    const stop = await dwf(['stop', runId])
    expect(stop.stderr).toMatch(/is not running \(interrupted\)/)
  })

  it('refuses to remove or resume a live run, and removes a finished one', async () => {
    project = tempProject({ 'w.js': SLOW })
    const runId = await startBackground(scaled(400))
    const rm = await dwf(['rm', runId])
    expect(rm.code).toBe(2)
    expect(rm.stderr).toMatch(/still running .*dwf stop/)
    const resume = await dwf(['resume', runId])
    expect(resume.code).toBe(2)
    expect(resume.stderr).toMatch(/still running/)
    await waitFor(() => journalLines(state(), 'slow').length >= 1, 20_000, 'one journaled call')
    await dwf(['stop', runId])
    const removed = await dwf(['rm', runId])
    expect(removed.code).toBe(0)
    expect(fs.existsSync(path.join(state(), 'runs', runId))).toBe(false)
    // The journal is the workflow's, not the run's: it stays.
    expect(journalLines(state(), 'slow').length).toBeGreaterThan(0)
    expect((await dwf(['list'])).stdout).toMatch(/no runs/)
  })
})
