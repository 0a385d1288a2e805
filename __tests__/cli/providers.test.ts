import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { costOf } from '../../src/core/money.js'
import { readTree, runCli, tempProject } from '../support/cli.js'
import { startFakeModels, type FakeModels } from '../support/fake-models.js'
import { scaled } from '../support/time-scale.js'

const CANARY = 'sk-ant-canary-51c0ffee-do-not-leak-0000'

let fake: FakeModels
let project: ReturnType<typeof tempProject>
beforeAll(async () => {
  fake = await startFakeModels()
})
afterAll(() => fake.close())
afterEach(() => project?.cleanup())

const THREE_CALLS = `export const meta = { name: 'three' }
const a = await agent('First question')
const b = await agent('Second question: ' + a)
const c = await agent('Give the verdict', { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })
return { a, b, c }
`
const anthropicEnv = () => ({ ANTHROPIC_API_KEY: CANARY, ANTHROPIC_BASE_URL: fake.url })
const openaiEnv = () => ({ OPENAI_API_KEY: 'openai-test-key-123456', OPENAI_BASE_URL: `${fake.url}/v1` })
const run = (args: string[], env: Record<string, string>) => runCli(['run', 'w.js', '--json', ...args], { cwd: project.dir, env })

const resetFake = () => fake.reset()
// The point of the stall test is the deadline: long enough that the request reaches the fake on
// a busy machine before it passes.
const IDLE_S = Math.ceil(scaled(3000) / 1000)

const PROVIDERS: Array<[string, () => Record<string, string>, string]> = [
  ['anthropic', anthropicEnv, 'claude-sonnet-4-6'],
  ['openai', openaiEnv, 'gpt-5-mini'],
]

describe.each(PROVIDERS)('the %s provider through dwf run', (agent, env, model) => {
  it('reports exactly the tokens the server returned, priced from the table, and replays everything the second time', async () => {
    project = tempProject({ 'w.js': THREE_CALLS })
    resetFake()
    fake.script({ text: 'alpha' }, { text: 'beta' }, { json: { ok: true } })
    const first = await run(['--agent', agent], env())
    expect(first.code).toBe(0)
    expect(first.json.result).toEqual({ a: 'alpha', b: 'beta', c: { ok: true } })
    expect(first.json.agents).toEqual({ total: 3, live: 3, replayed: 0, failed: 0 })
    expect(first.json.tokens.input + first.json.tokens.output).toBe(fake.usage.input + fake.usage.output)
    expect(first.json.tokens).toEqual({ input: fake.usage.input, output: fake.usage.output })
    expect(first.json.costUsd).toBeCloseTo(costOf(model, { inputTokens: fake.usage.input, outputTokens: fake.usage.output })!, 6)
    const again = await run(['--agent', agent], env())
    expect(again.json.agents).toEqual({ total: 3, live: 0, replayed: 3, failed: 0 })
    expect(again.json.saved.costUsd).toBeCloseTo(first.json.costUsd, 6)
  })

  it('retries a 429 after its retry-after and completes', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 'r' }\nreturn await agent('Once')\n" })
    resetFake()
    fake.script({ status: 429, headers: { 'retry-after': '0' } }, { text: 'after the wait' })
    const result = await run(['--agent', agent], env())
    expect(result.code).toBe(0)
    expect(result.json.result).toBe('after the wait')
    expect(result.stderr).toMatch(/retry 1 in 0ms: RATE_LIMITED/)
  })

  it('stops a stalled agent after the idle timeout and says so', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 's' }\nreturn await agent('Hang please')\n" })
    resetFake()
    fake.script({ stall: true })
    const result = await run(['--agent', agent, '--idle-timeout', `${IDLE_S}s`, '--agent-retries', '0'], env())
    expect(result.code).toBe(1)
    expect(result.json.error.message).toMatch(new RegExp(`produced no output for ${IDLE_S}s and was stopped`))
    // The agent did stall: its request reached the fake, which never answered.
    expect(fake.requests.filter((r) => r.api !== 'other')).toHaveLength(1)
    expect(result.json.agents).toMatchObject({ failed: 1 })
  })

  it('repairs an answer that breaks the schema, and fails typed after two repairs', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 'schema' }\nreturn await agent('Verdict?', { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })\n" })
    resetFake()
    fake.script({ json: { verdict: 'yes' } }, { json: { ok: false } })
    const repaired = await run(['--agent', agent], env())
    expect(repaired.json.result).toEqual({ ok: false })
    expect(fake.requests.filter((r) => r.api !== 'other')).toHaveLength(2)

    project.write('w.js', "export const meta = { name: 'schema2' }\nreturn await agent('Verdict now?', { schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })\n")
    fake.script({ json: { no: 1 } }, { json: { no: 2 } }, { json: { no: 3 } })
    const failed = await run(['--agent', agent, '--agent-retries', '0'], env())
    expect(failed.code).toBe(1)
    expect(failed.json.error.message).toMatch(/SCHEMA_NONCOMPLIANCE|did not match the schema after 2 repair attempts/)
    expect(failed.json.tokens.input).toBeGreaterThan(0)
  })
})

describe('secrets', () => {
  it('never shows the API key, not even when the provider echoes it in an error', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 'leak' }\nreturn await agent('Hello')\n" })
    resetFake()
    fake.script({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${CANARY}` } } })
    const result = await run(['--agent', 'anthropic'], anthropicEnv())
    expect(result.code).toBe(1)
    expect(result.json.error.message).toMatch(/authentication failed \(401\)/)
    expect(result.stdout + result.stderr).not.toContain(CANARY)
    const leaks = readTree(path.join(project.dir, '.dynamic-workflow')).filter((f) => f.text.includes(CANARY))
    expect(leaks.map((f) => f.file)).toEqual([])
  })
})

describe('a workflow mixing providers', () => {
  it('routes tiers to different providers, and the second run replays all of it', async () => {
    project = tempProject({
      'dynamic-workflow.json': JSON.stringify({ tiers: { cheap: { provider: 'openai', model: 'gpt-5-mini' }, strong: { provider: 'anthropic', model: 'claude-sonnet-4-6' } } }),
      'w.js': `export const meta = { name: 'mixed' }
const drafts = await parallel(['a', 'b', 'c'].map((x) => () => agent('Draft ' + x, { tier: 'cheap' })))
return await agent('Judge these drafts: ' + drafts.join(' | '), { tier: 'strong' })
`,
    })
    resetFake()
    const env = { ...anthropicEnv(), ...openaiEnv() }
    const first = await run(['--agent', 'anthropic'], env)
    expect(first.code).toBe(0)
    expect(first.json.agents).toMatchObject({ total: 4, live: 4 })
    const apis = fake.requests.filter((r) => r.api !== 'other').map((r) => r.api)
    expect(apis.filter((a) => a === 'openai-chat')).toHaveLength(3)
    expect(apis.filter((a) => a === 'anthropic')).toHaveLength(1)
    const again = await run(['--agent', 'anthropic'], env)
    expect(again.json.agents).toMatchObject({ total: 4, live: 0, replayed: 4 })
  })
})

describe('the command provider through dwf run', () => {
  it('runs any program with only the variables it is given, and replays its answers', async () => {
    project = tempProject({
      'agent.mjs': `import fs from 'node:fs'
const prompt = fs.readFileSync(0, 'utf8')
process.stdout.write(JSON.stringify({ result: 'seen ' + prompt.length + ' chars; token ' + (process.env.MY_TOKEN ?? 'none') + '; leak ' + (process.env.OTHER_SECRET ?? 'none'), usage: { input_tokens: 11, output_tokens: 5 } }))
`,
      'w.js': "export const meta = { name: 'cmd' }\nreturn await parallel(['one', 'two'].map((x) => () => agent('Say ' + x)))\n",
      'dynamic-workflow.json': JSON.stringify({ providers: { command: { passEnv: ['MY_TOKEN'] } } }),
    })
    const env = { MY_TOKEN: 'passed-on', OTHER_SECRET: 'must-not-be-seen' }
    const first = await run(['--command', `${process.execPath} agent.mjs`], env)
    expect(first.code).toBe(0)
    expect(first.json.result).toEqual(['seen 7 chars; token passed-on; leak none', 'seen 7 chars; token passed-on; leak none'])
    expect(first.json.tokens).toEqual({ input: 22, output: 10 })
    // A program's model has no price: the cost is reported as unknown, not as a guess.
    expect(first.json).toMatchObject({ costUsd: 0, unpricedCalls: 2 })
    expect(first.stderr).toMatch(/\+2 calls of unknown price/)
    const again = await run(['--command', `${process.execPath} agent.mjs`], env)
    expect(again.json.agents).toMatchObject({ live: 0, replayed: 2 })
  })

  it('says clearly when the program fails, without the secrets it was given', async () => {
    project = tempProject({ 'w.js': "export const meta = { name: 'cmdfail' }\nreturn await agent('x')\n" })
    const result = await run(['--command', 'echo "token $MY_API_KEY is refused" >&2; exit 3', '--agent-retries', '0'], { MY_API_KEY: 'abcdef-0123456789-secret' })
    expect(result.code).toBe(1)
    expect(result.json.error.message).toMatch(/exit|exited|code 3/i)
    expect(result.stdout + result.stderr).not.toContain('abcdef-0123456789-secret')
  })
})
