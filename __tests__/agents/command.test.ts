import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCommandProvider, parseCommandOutput } from '../../src/agents/command.js'
import type { AgentRequest, JsonSchema } from '../../src/core/provider.js'
import { WorkflowError } from '../../src/core/errors.js'

const FAKE_AGENT = fileURLToPath(new URL('../support/bin/fake-agent.mjs', import.meta.url))
const PARENT_CANARY = 'command-parent-canary-51d2'
const ENV_CANARY = 'command-env-canary-88e0'

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-command-'))
  process.env.DWF_TEST_PARENT_CANARY = PARENT_CANARY
})
afterAll(() => {
  delete process.env.DWF_TEST_PARENT_CANARY
  fs.rmSync(tmp, { recursive: true, force: true })
})

const live = () => new AbortController().signal
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** A shell word for a path (the tests' paths hold no single quote). */
const sq = (s: string) => `'${s}'`

/** The environment the provider picks from: the parent's plus things it must not pass on. */
const sourceEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: tmp,
  LANG: 'C.UTF-8',
  TMPDIR: tmp,
  OTHER_CANARY: ENV_CANARY,
  MY_AGENT_TOKEN: 'passed-token-value-0001',
})

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return { prompt: 'Summarise the change.', model: 'default', identityHash: 'a'.repeat(64), ...overrides }
}

interface Echo {
  argv: string[]
  env: Record<string, string>
  stdin: string
}

const schema: JsonSchema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] }

describe('the command provider: what the program gets', () => {
  it('names itself and runs the command line through /bin/sh', async () => {
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} echo "two words" --fast`, env: sourceEnv() })
    expect(provider.name).toBe('command')
    expect(provider.defaultModel).toBe('default')
    const seen = JSON.parse((await provider.run(request(), live())).text) as Echo
    expect(seen.argv).toEqual(['echo', 'two words', '--fast'])
  })

  it('gives the program only the base variables, passEnv and the DWF_ variables', async () => {
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} echo`, passEnv: ['MY_AGENT_TOKEN', 'NOT_SET_ANYWHERE'], env: sourceEnv() })
    const response = await provider.run(request({ label: 'review #1', system: 'Be terse.', schema, model: 'fast-model' }), live())
    expect(response.text).not.toContain(PARENT_CANARY)
    expect(response.text).not.toContain(ENV_CANARY)
    const { env } = JSON.parse(response.text) as Echo
    // /bin/sh itself exports PWD.
    const names = Object.keys(env).filter((name) => name !== 'PWD')
    expect(names.sort()).toEqual(['DWF_IDENTITY_HASH', 'DWF_LABEL', 'DWF_MODEL', 'DWF_SCHEMA', 'DWF_SYSTEM', 'HOME', 'LANG', 'MY_AGENT_TOKEN', 'PATH', 'TMPDIR'])
    expect(env).toMatchObject({
      DWF_MODEL: 'fast-model',
      DWF_LABEL: 'review #1',
      DWF_IDENTITY_HASH: 'a'.repeat(64),
      DWF_SYSTEM: 'Be terse.',
      MY_AGENT_TOKEN: 'passed-token-value-0001',
      HOME: tmp,
      LANG: 'C.UTF-8',
    })
    expect(JSON.parse(env.DWF_SCHEMA!)).toEqual(schema)
  })

  it('sets no DWF_SCHEMA or DWF_SYSTEM when the call has none', async () => {
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} echo`, env: sourceEnv() })
    const { env } = JSON.parse((await provider.run(request(), live())).text) as Echo
    expect(env.DWF_SCHEMA).toBeUndefined()
    expect(env.DWF_SYSTEM).toBeUndefined()
    expect(env.MY_AGENT_TOKEN).toBeUndefined()
    expect(env.DWF_LABEL).toBe('')
  })

  it('writes the prompt on stdin, with the schema instruction and the repair note', async () => {
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} echo`, env: sourceEnv() })
    const plain = JSON.parse((await provider.run(request(), live())).text) as Echo
    expect(plain.stdin).toBe('Summarise the change.')
    const repaired = JSON.parse(
      (await provider.run(request({ schema, repair: { output: '{"verdict": 3}', errors: ['/verdict must be string'] } }), live())).text,
    ) as Echo
    expect(repaired.stdin.startsWith('Summarise the change.\n\nAnswer with one JSON value only')).toBe(true)
    expect(repaired.stdin).toContain(JSON.stringify(schema))
    expect(repaired.stdin).toContain('- /verdict must be string')
    expect(repaired.stdin).toContain('{"verdict": 3}')
  })

  it('runs in cwd and calls onActivity', async () => {
    let calls = 0
    const provider = createCommandProvider({ command: 'pwd', env: sourceEnv(), cwd: tmp })
    const response = await provider.run(request({ onActivity: () => calls++ }), live())
    expect(fs.realpathSync(response.text)).toBe(fs.realpathSync(tmp))
    expect(calls).toBeGreaterThan(0)
  })
})

describe('the command provider: reading the answer', () => {
  const run = (stdout: string, overrides: Partial<AgentRequest> = {}) =>
    createCommandProvider({ command: `${sq(FAKE_AGENT)} print ${sq(stdout)}`, env: sourceEnv() }).run(request(overrides), live())

  it('takes plain stdout as the answer, trimmed, with estimated usage and no cost', async () => {
    const response = await run('\n  The answer is 42.  \n\n')
    expect(response.text).toBe('The answer is 42.')
    expect(response.model).toBe('default')
    expect(response.json).toBeUndefined()
    expect(response.usage).toEqual({ inputTokens: Math.ceil('Summarise the change.'.length / 4), outputTokens: Math.ceil('The answer is 42.'.length / 4) })
    expect(response.usage.costUsd).toBeUndefined()
  })

  it('reads a JSON envelope: result, usage, cost, model and a structured json member', async () => {
    const envelope = { result: 'verdict: ok', usage: { input_tokens: 120, output_tokens: 30 }, cost_usd: 0.0123, model: 'agent-model-2', json: { verdict: 'ok' } }
    const response = await run(JSON.stringify(envelope))
    expect(response).toEqual({ text: 'verdict: ok', json: { verdict: 'ok' }, usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0123 }, model: 'agent-model-2' })
  })

  it('accepts text/output and camelCase usage and costUsd', async () => {
    const a = await run(JSON.stringify({ text: 'from text', usage: { inputTokens: 5, outputTokens: 6 }, costUsd: 0.5 }))
    expect(a.text).toBe('from text')
    expect(a.usage).toEqual({ inputTokens: 5, outputTokens: 6, costUsd: 0.5 })
    const b = await run(JSON.stringify({ output: 'from output' }))
    expect(b.text).toBe('from output')
    expect(b.usage.inputTokens).toBe(Math.ceil('Summarise the change.'.length / 4))
    expect(b.usage.outputTokens).toBe(Math.ceil('from output'.length / 4))
    expect(b.usage.costUsd).toBeUndefined()
  })

  it('treats JSON that is not an envelope as the answer text', async () => {
    expect((await run('{"unrelated": true}')).text).toBe('{"unrelated": true}')
    expect((await run('[1, 2]')).text).toBe('[1, 2]')
    expect((await run('{"result": 42}')).text).toBe('{"result": 42}')
  })

  it('with a schema, takes an object that matches it as the answer even if it has a text field', () => {
    const withText: JsonSchema = { type: 'object', properties: { text: { type: 'string' }, score: { type: 'number' } }, required: ['text', 'score'] }
    const stdout = '{"text": "fine", "score": 3}'
    const response = parseCommandOutput(stdout, 'p', request({ schema: withText }))
    expect(response.text).toBe(stdout)
    expect(parseCommandOutput(stdout, 'p', request()).text).toBe('fine')
  })
})

describe('the command provider: failures', () => {
  it('fails with the exit code and the redacted end of stderr', async () => {
    const secret = 'my-configured-secret-42'
    const stderr = `${'noise '.repeat(200)}\nError: upstream refused key ${secret} and token passed-token-value-0001`
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} fail 3 ${sq(stderr)}`, passEnv: ['MY_AGENT_TOKEN'], env: sourceEnv(), secrets: [secret] })
    const error = (await provider.run(request(), live()).catch((e: unknown) => e)) as WorkflowError
    expect(error).toBeInstanceOf(WorkflowError)
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(false)
    expect(error.message).toContain('exited with code 3')
    expect(error.message).toContain('upstream refused key [redacted]')
    expect(error.message).not.toContain(secret)
    expect(error.message).not.toContain('passed-token-value-0001')
    expect(error.message.length).toBeLessThan(700)
  })

  it('treats exit code 75 (EX_TEMPFAIL) as transient', async () => {
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} fail 75 'try later'`, env: sourceEnv() })
    const error = (await provider.run(request(), live()).catch((e: unknown) => e)) as WorkflowError
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(true)
    expect(error.message).toContain('try later')
  })

  it('says when the command is not found', async () => {
    const provider = createCommandProvider({ command: 'dwf-no-such-agent-cmd --fast', env: sourceEnv() })
    const error = (await provider.run(request(), live()).catch((e: unknown) => e)) as WorkflowError
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain('127')
    expect(error.message).toContain('dwf-no-such-agent-cmd')
  })

  it('abort stops a hung agent and its grandchild', async () => {
    const file = path.join(tmp, 'pids-abort')
    const controller = new AbortController()
    const provider = createCommandProvider({ command: `${sq(FAKE_AGENT)} grandchild ${sq(file)}`, env: sourceEnv() })
    const running = provider.run(request(), controller.signal)
    while (!fs.existsSync(file)) await pause(10)
    const pids = fs.readFileSync(file, 'utf8').split(' ').map(Number)
    const reason = new WorkflowError('STOPPED', 'the run was stopped')
    controller.abort(reason)
    await expect(running).rejects.toBe(reason)
    for (const pid of pids) expect(isRunning(pid)).toBe(false)
  })
})

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}
