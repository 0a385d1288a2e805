import { afterEach, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { journalLines, runCli, tempProject } from '../support/cli.js'

const FANOUT = `export const meta = { name: 'fanout', description: 'twelve reviews and a summary' }
const items = Array.from({ length: 12 }, (_, i) => 'item-' + i)
const reviews = await parallel(items.map((item) => () => agent('Review ' + item, { label: item })))
return await agent('Summarise:\\n' + reviews.join('\\n'), { label: 'summary' })
`

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const run = (args: string[], env: Record<string, string> = {}) => runCli(['run', ...args, '--agent', 'mock', '--json'], { cwd: project.dir, env })
const stateDir = () => path.join(project.dir, '.dynamic-workflow')

describe('replay through the CLI', () => {
  it('journals the 11 completed calls of a failed fan-out, then runs exactly the 2 missing calls live', async () => {
    project = tempProject({ 'fanout.workflow.js': FANOUT })
    const failed = await run(['fanout.workflow.js'], { DWF_MOCK_FAIL: '^Review item-7$' })
    expect(failed.code).toBe(1)
    expect(failed.json.status).toBe('failed')
    expect(failed.json.agents).toEqual({ total: 12, live: 12, replayed: 0, failed: 1 })
    expect(failed.json.error.message).toMatch(/1 of 12 items failed/)
    expect(failed.json.error.message).toMatch(/item-7/)
    expect(failed.stderr).toMatch(/fanout\.workflow\.js:3/)
    expect(journalLines(stateDir(), 'fanout')).toHaveLength(11)

    const again = await run(['fanout.workflow.js'])
    expect(again.code).toBe(0)
    expect(again.json.agents).toEqual({ total: 13, live: 2, replayed: 11, failed: 0 })
    expect(again.json.saved.tokens).toBeGreaterThan(0)
    expect(again.json.saved.costUsd).toBeGreaterThan(0)
    expect(journalLines(stateDir(), 'fanout')).toHaveLength(13)
  })

  it('runs only an inserted independent call live, and nothing after a reorder', async () => {
    const calls = ["agent('alpha')", "agent('beta')", "agent('gamma')"]
    const script = (lines: string[]) => `export const meta = { name: 'edits' }\nconst out = []\n${lines.map((l) => `out.push(await ${l})`).join('\n')}\nreturn out\n`
    project = tempProject({ 'w.js': script(calls) })
    expect((await run(['w.js'])).json.agents.live).toBe(3)

    project.write('w.js', script(["agent('inserted at the top')", ...calls]))
    const inserted = await run(['w.js'])
    expect(inserted.json.agents).toMatchObject({ live: 1, replayed: 3 })

    project.write('w.js', script(["agent('gamma')", "agent('inserted at the top')", "agent('alpha')", "agent('beta')"]))
    const reordered = await run(['w.js'])
    expect(reordered.json.agents).toMatchObject({ live: 0, replayed: 4 })
  })

  it('re-runs a changed prompt and exactly the calls that consume its result', async () => {
    const script = (topic: string) => `export const meta = { name: 'chain' }
const a = await agent('Research ${topic}', { label: 'research' })
const b = await agent('Independent survey', { label: 'survey' })
const c = await agent('Write about: ' + a, { label: 'write' })
const d = await agent('Polish: ' + c, { label: 'polish' })
return [a, b, c, d]
`
    project = tempProject({ 'w.js': script('cats') })
    expect((await run(['w.js'])).json.agents.live).toBe(4)
    project.write('w.js', script('dogs'))
    const changed = await run(['w.js'])
    expect(changed.json.agents).toMatchObject({ total: 4, live: 3, replayed: 1 })
    const events = await runCli(['status', changed.json.runId, '--json'], { cwd: project.dir })
    const byLabel = Object.fromEntries(events.json.agents.map((a: any) => [a.label, a]))
    expect(byLabel.survey.state).toBe('replayed')
    expect(byLabel.research.miss).toEqual({ kind: 'changed', components: ['prompt'], label: 'research' })
    expect(['research', 'write', 'polish'].map((l) => byLabel[l].state)).toEqual(['succeeded', 'succeeded', 'succeeded'])
  })

  it("re-runs only the calls of a phase whose model changed", async () => {
    const script = (model: string) => `export const meta = { name: 'phases', phases: [{ title: 'Draft' }, { title: 'Review', model: '${model}' }] }
phase('Draft')
const drafts = await parallel(['a', 'b'].map((x) => () => agent('Draft ' + x)))
phase('Review')
const reviews = await parallel(['a', 'b'].map((x) => () => agent('Review draft ' + x)))
return { drafts, reviews }
`
    project = tempProject({ 'w.js': script('model-one') })
    expect((await run(['w.js'])).json.agents.live).toBe(4)
    project.write('w.js', script('model-two'))
    const changed = await run(['w.js'])
    expect(changed.json.agents).toMatchObject({ live: 2, replayed: 2 })
    const status = await runCli(['status', changed.json.runId, '--json'], { cwd: project.dir })
    const live = status.json.agents.filter((a: any) => a.state === 'succeeded')
    expect(live.map((a: any) => [a.phase, a.model])).toEqual([
      ['Review', 'model-two'],
      ['Review', 'model-two'],
    ])
    expect(live[0].miss.components).toEqual(['model'])
  })

  it('with --no-replay runs everything live and still journals it', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 'nr' }\nreturn await agent('one')\n" })
    await run(['w.js'])
    const again = await run(['w.js', '--no-replay'])
    expect(again.json.agents).toMatchObject({ live: 1, replayed: 0 })
    expect((await run(['w.js'])).json.agents).toMatchObject({ live: 0, replayed: 1 })
  })
})
