import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { runCli, tempProject } from '../support/cli.js'
import { startFakeModels, type FakeModels } from '../support/fake-models.js'

/**
 * A bad key or an unknown model fails every call alike: the first such error trips the breaker,
 * the calls in flight finish, no further call is started or retried, and the run fails with
 * one line naming the cause, instead of a thousand calls failing one by one.
 */
const FANOUT = `export const meta = { name: 'fanout' }
const out = await parallel(Array.from({ length: 24 }, (_, i) => () => agent('Item ' + i)))
return out.length
`
let fake: FakeModels
let project: ReturnType<typeof tempProject>
beforeAll(async () => {
  fake = await startFakeModels()
})
afterAll(() => fake.close())
afterEach(() => project?.cleanup())

const anthropic = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: fake.url })

describe('the breaker', () => {
  it.each([
    ['a bad key (401)', 'AUTH', { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } }, /authentication failed \(401\)/],
    ['an unknown model (404)', 'MODEL', { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } } }, /unknown model \(404\): .*model: claude-nope/],
  ])('%s: at most the calls in flight reach the provider, none is retried, and the run fails with one cause', async (_name, code, reply, message) => {
    project = tempProject({ 'w.js': FANOUT })
    fake.reset()
    fake.setDefault(() => reply as never)
    const run = await runCli(['run', 'w.js', '--json', '--agent', 'anthropic', '--concurrency', '3', '--agent-retries', '3'], { cwd: project.dir, env: anthropic() })
    expect(run.code).toBe(1)
    expect(run.json.error.code).toBe(code)
    expect(run.json.error.message).toMatch(message)
    expect(run.json.error.message).toContain('no further agent calls were started, as every one would fail the same way')
    const asked = fake.requests.filter((r) => r.api === 'anthropic').length
    expect(asked).toBeGreaterThanOrEqual(1)
    expect(asked).toBeLessThanOrEqual(3) // the calls in flight when it tripped, each asked once
    expect(run.json.agents.total).toBe(24)
  })
})
