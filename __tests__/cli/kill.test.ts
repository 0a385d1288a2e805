import { afterEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { finish, journalLines, runCli, startCli, tempProject, waitFor } from '../support/cli.js'
import { scaled } from '../support/time-scale.js'

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const SEQUENTIAL = `export const meta = { name: 'long' }
const out = []
for (let i = 0; i < 30; i++) out.push(await agent('Step ' + i, { label: 'step-' + i }))
return out.length
`
const FANOUT = `export const meta = { name: 'wide' }
const out = await parallel(Array.from({ length: 40 }, (_, i) => () => agent('Item ' + i)))
return out.length
`

// Each call takes long enough that the run is still going when the kill lands on a busy machine
// (the fan-out, the shortest, has about 2 s left after 9 calls).
const LATENCY_MS = scaled(250)

async function killMidway(name: string, minLines: number) {
  const child = startCli(['run', 'w.js', '--agent', 'mock', '--concurrency', '4'], { cwd: project.dir, env: { DWF_MOCK_LATENCY_MS: String(LATENCY_MS) } })
  const state = path.join(project.dir, '.dynamic-workflow')
  await waitFor(() => journalLines(state, name).length >= minLines, 30_000, `${minLines} journal lines`)
  child.kill('SIGKILL')
  const result = await finish(child)
  expect(result.signal).toBe('SIGKILL')
  return { state, completed: journalLines(state, name).length }
}

describe('kill -9 loses nothing that completed', () => {
  it('replays every call journaled before a kill -9 of a sequential run', async () => {
    project = tempProject({ 'w.js': SEQUENTIAL })
    const { completed } = await killMidway('long', 5)
    expect(completed).toBeLessThan(30)
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(again.code).toBe(0)
    expect(again.json.agents).toEqual({ total: 30, live: 30 - completed, replayed: completed, failed: 0 })
  })

  it('replays every call journaled before a kill -9 in the middle of a parallel fan-out', async () => {
    project = tempProject({ 'w.js': FANOUT })
    const { completed } = await killMidway('wide', 9)
    expect(completed).toBeLessThan(40)
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(again.json.agents).toMatchObject({ total: 40, live: 40 - completed, replayed: completed })
  })

  it('skips a torn last line with a warning and keeps every complete entry', async () => {
    project = tempProject({ 'w.js': SEQUENTIAL })
    const { state, completed } = await killMidway('long', 4)
    // What a kill in the middle of a write leaves: half a line, no newline.
    const file = path.join(state, 'journal', 'long.jsonl')
    const whole = fs.readFileSync(file, 'utf8').split('\n')[0]!
    fs.appendFileSync(file, whole.slice(0, Math.floor(whole.length / 2)))
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(again.code).toBe(0)
    expect(again.json.agents.replayed).toBe(completed)
    expect(again.stderr).toMatch(/skipped a torn last line/)
    // The compacted journal holds 30 valid lines and nothing torn.
    const lines = journalLines(state, 'long')
    expect(lines).toHaveLength(30)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
  })

  it('shows a killed run as interrupted and resumes it', async () => {
    project = tempProject({ 'w.js': SEQUENTIAL })
    const { completed } = await killMidway('long', 3)
    const list = await runCli(['list', '--json'], { cwd: project.dir })
    expect(list.json).toHaveLength(1)
    expect(list.json[0].status).toBe('interrupted')
    const status = await runCli(['status', list.json[0].runId], { cwd: project.dir })
    expect(status.stdout).toMatch(/interrupted/)
    expect(status.stdout).toMatch(new RegExp(`dwf resume ${list.json[0].runId}`))
    const resumed = await runCli(['resume', list.json[0].runId, '--json'], { cwd: project.dir })
    expect(resumed.code).toBe(0)
    expect(resumed.json.agents).toMatchObject({ replayed: completed, live: 30 - completed })
  })
})
