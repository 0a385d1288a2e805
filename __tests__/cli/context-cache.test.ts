import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { formatUsd } from '../../src/report/format.js'
import { runCli, tempProject } from '../support/cli.js'
import { startFakeModels, type FakeModels } from '../support/fake-models.js'

/**
 * agent(prompt, { context }): shared material goes first, marked for the provider's prompt
 * cache; the first call of a group that shares it runs ahead, so the others read the cache
 * instead of each writing it; the context joins the identity.
 */
const SCRIPT = (diff: string) => `export const meta = { name: 'reviewers' }
const diff = ${JSON.stringify(diff)}
const angles = ['security', 'correctness', 'tests', 'performance', 'style']
return await parallel(angles.map((angle) => () => agent('Review this diff for ' + angle + ' problems.', { context: diff, label: angle })))
`
const DIFF = 'diff --git a/src/a.ts b/src/a.ts\n' + '+ a line of the change\n'.repeat(200)
let fake: FakeModels
let project: ReturnType<typeof tempProject>
beforeAll(async () => {
  fake = await startFakeModels()
})
afterAll(() => fake.close())
afterEach(() => project?.cleanup())

const anthropic = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: fake.url })

describe('a shared context', () => {
  it('is sent first with a cache breakpoint; the first call runs ahead and the others read the cache', async () => {
    project = tempProject({ 'w.js': SCRIPT(DIFF) })
    fake.reset()
    const answeredBefore: number[] = []
    fake.setDefault((request) => {
      answeredBefore.push(fake.requests.filter((r) => r.api === 'anthropic' && r.usage).length)
      return { text: 'Looks fine: ' + request.body.messages[0].content[1].text }
    })
    const run = await runCli(['run', 'w.js', '--json', '--agent', 'anthropic', '--concurrency', '5'], { cwd: project.dir, env: anthropic() })
    expect(run.code).toBe(0)
    const asked = fake.requests.filter((r) => r.api === 'anthropic')
    expect(asked).toHaveLength(5)
    for (const request of asked) {
      const [shared, own] = request.body.messages[0].content
      expect(shared).toEqual({ type: 'text', text: DIFF, cache_control: { type: 'ephemeral' } })
      expect(own.text).toMatch(/^Review this diff for \w+ problems\.$/)
    }
    // The first call was answered before any other was sent: they found the context cached.
    expect(answeredBefore[0]).toBe(0)
    expect(answeredBefore.slice(1).every((answered) => answered >= 1)).toBe(true)
    const usages = asked.map((r) => r.usage as { cacheRead?: number; cacheWrite?: number })
    expect(usages.filter((u) => (u.cacheWrite ?? 0) > 0)).toHaveLength(1)
    expect(usages.filter((u) => (u.cacheRead ?? 0) > 0)).toHaveLength(4)
    // Priced at the provider's cache rates, and the saving is shown.
    const read = usages.reduce((sum, u) => sum + (u.cacheRead ?? 0), 0)
    const saved = Math.round(read * (3 - 0.3)) / 1_000_000 // claude-sonnet-4: $3 input, $0.30 cache read per million
    const snapshot = JSON.parse(fs.readFileSync(path.join(project.dir, '.dynamic-workflow/runs', run.json.runId, 'run.json'), 'utf8'))
    expect(snapshot.totals.cacheSavedUsd).toBeCloseTo(saved, 5) // each call rounded to a millionth
    expect(run.stderr).toContain(`cache saved ${formatUsd(saved)}`)
  })

  it('joins the identity: a changed context runs the calls again, an unchanged one replays them', async () => {
    project = tempProject({ 'w.js': SCRIPT(DIFF) })
    fake.reset()
    fake.setDefault(() => ({ text: 'ok' }))
    const env = anthropic()
    const first = await runCli(['run', 'w.js', '--json', '--agent', 'anthropic'], { cwd: project.dir, env })
    const again = await runCli(['run', 'w.js', '--json', '--agent', 'anthropic'], { cwd: project.dir, env })
    expect(again.json.agents).toMatchObject({ live: 0, replayed: first.json.agents.total })
    project.write('w.js', SCRIPT(DIFF + '+ one more line\n'))
    const changed = await runCli(['run', 'w.js', '--json', '--agent', 'anthropic'], { cwd: project.dir, env })
    expect(changed.json.agents).toMatchObject({ live: 5, replayed: 0 })
  })

  it('reaches agents without a prompt cache of their own at the front of the prompt', async () => {
    project = tempProject({ 'w.js': `export const meta = { name: 'one' }\nreturn await agent('The question.', { context: 'Shared facts.' })\n` })
    const run = await runCli(['run', 'w.js', '--json', '--agent', 'mock'], { cwd: project.dir })
    expect(run.code).toBe(0)
    expect(run.json.result).toBeTruthy()
  })
})
