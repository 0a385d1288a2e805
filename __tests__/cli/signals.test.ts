import { afterEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { finish, journalLines, runCli, startCli, tempProject, waitFor } from '../support/cli.js'
import { scaled } from '../support/time-scale.js'

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const SLOW = `export const meta = { name: 'slow' }
const out = await parallel(Array.from({ length: 24 }, (_, i) => () => agent('Item ' + i)))
return out.length
`

// Each call takes long enough that the run is still going when the signal lands on a busy
// machine (24 calls, two at a time: about 5 s left after the first two).
const LATENCY_MS = scaled(400)

async function startAndWait(minLines: number) {
  const child = startCli(['run', 'w.js', '--agent', 'mock', '--json', '--concurrency', '2'], { cwd: project.dir, env: { DWF_MOCK_LATENCY_MS: String(LATENCY_MS) } })
  const state = path.join(project.dir, '.dynamic-workflow')
  await waitFor(() => journalLines(state, 'slow').length >= minLines, 20_000, `${minLines} journaled calls`)
  return { child, state }
}

describe('signals during a foreground run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops the run cleanly: exit 130, in-flight calls aborted, the journal intact', async (signal) => {
    project = tempProject({ 'w.js': SLOW })
    const { child, state } = await startAndWait(2)
    child.kill(signal)
    const result = await finish(child)
    expect(result.code).toBe(130)
    expect(result.json.status).toBe('stopped')
    expect(result.stderr).toMatch(/stopping; completed calls stay journaled/)
    expect(result.stderr).toMatch(/slow stopped after/)
    const completed = journalLines(state, 'slow').length
    expect(result.json.agents.live).toBe(completed)
    expect(completed).toBeLessThan(24)
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(again.json.agents).toMatchObject({ replayed: completed, live: 24 - completed })
  })

  it('a second Ctrl-C exits at once, and the run shows as stopped', async () => {
    project = tempProject({ 'w.js': SLOW })
    const { child } = await startAndWait(1)
    child.kill('SIGINT')
    child.kill('SIGINT')
    const result = await finish(child)
    expect(result.code).toBe(130)
    const list = await runCli(['list', '--json'], { cwd: project.dir })
    expect(list.json[0].status).toBe('stopped')
  })
})
