import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { codexArgs, createCodexProvider, parseCodexEvents, type CodexOptions } from '../../src/agents/codex.js'
import type { AgentRequest, JsonSchema } from '../../src/core/provider.js'
import { WorkflowError } from '../../src/core/errors.js'
import { FakeCliHomes } from '../support/fake-cli-home.js'

const FAKE_CODEX = fileURLToPath(new URL('../support/bin/fake-codex.mjs', import.meta.url))
const PARENT_CANARY = 'codex-parent-canary-9b8a'
const ENV_CANARY = 'codex-env-canary-7c6d'
const API_KEY = 'canary-openai-key-4242'

const homes = new FakeCliHomes()
beforeAll(() => {
  homes.open('dwf-codex-')
  process.env.DWF_TEST_PARENT_CANARY = PARENT_CANARY
})
afterAll(() => {
  delete process.env.DWF_TEST_PARENT_CANARY
  homes.close()
})

/** A scratch HOME holding the fake's scenario; `record()` reads what the fake was given. */
function sandbox(scenario: object = {}) {
  const { home, record } = homes.make(scenario)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    TMPDIR: homes.root,
    CODEX_HOME: path.join(home, '.codex'),
    OPENAI_API_KEY: API_KEY,
    ANTHROPIC_API_KEY: 'anthropic-key-not-for-codex',
    OTHER_CANARY: ENV_CANARY,
  }
  delete env.LANG
  delete env.OPENAI_BASE_URL
  return {
    home,
    env,
    provider: (options: Partial<CodexOptions> = {}) => createCodexProvider({ command: FAKE_CODEX, env, ...options }),
    record,
  }
}

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return { prompt: 'Fix the typo.', model: 'gpt-5-codex', identityHash: 'c'.repeat(64), ...overrides }
}
const live = () => new AbortController().signal

describe('the codex provider: invocation', () => {
  it('names itself and runs codex exec --json with the prompt on stdin', async () => {
    const box = sandbox()
    const provider = box.provider()
    expect(provider.name).toBe('codex')
    expect(provider.defaultModel).toBe('gpt-5-codex')
    await provider.run(request(), live())
    const seen = box.record()
    expect(seen.argv).toEqual(['exec', '--json', '--skip-git-repo-check', '-m', 'gpt-5-codex', '-'])
    expect(seen.stdin).toBe('Fix the typo.')
  })

  it('adds the -c overrides before the prompt marker', async () => {
    const box = sandbox()
    const config = ['model_provider=fake', 'model_providers.fake={name="fake",base_url="http://127.0.0.1:9/v1",env_key="OPENAI_API_KEY",wire_api="responses"}']
    await box.provider({ config }).run(request({ model: 'fake-model' }), live())
    expect(box.record().argv).toEqual(['exec', '--json', '--skip-git-repo-check', '-m', 'fake-model', '-c', config[0], '-c', config[1], '-'])
  })

  it('an editing call runs in its copy of the tree, allowed to write there (unless sandbox_mode is configured)', async () => {
    const box = sandbox()
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-codex-copy-'))
    try {
      await box.provider().run(request({ cwd: copy }), live())
      expect(box.record().argv).toEqual(['exec', '--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', '-m', 'gpt-5-codex', '-'])
      expect(codexArgs(request({ cwd: copy }), ['sandbox_mode="read-only"'])).not.toContain('--sandbox')
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  })

  it('gives codex only its variables, never the rest of the environment', async () => {
    const box = sandbox()
    await box.provider().run(request(), live())
    const { env } = box.record()
    expect(JSON.stringify(env)).not.toContain(PARENT_CANARY)
    expect(JSON.stringify(env)).not.toContain(ENV_CANARY)
    expect(Object.keys(env).sort()).toEqual(['CODEX_HOME', 'HOME', 'OPENAI_API_KEY', 'PATH', 'TMPDIR'])
    expect(env.OPENAI_API_KEY).toBe(API_KEY)
    expect(env.CODEX_HOME).toBe(path.join(box.home, '.codex'))
  })

  it('passes OPENAI_BASE_URL when set', async () => {
    const box = sandbox()
    await createCodexProvider({ command: FAKE_CODEX, env: { ...box.env, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } }).run(request(), live())
    expect(box.record().env.OPENAI_BASE_URL).toBe('http://127.0.0.1:9/v1')
  })

  it('puts the system prompt first, then the prompt with the schema instruction and repair note', async () => {
    const box = sandbox()
    const schema: JsonSchema = { type: 'array', items: { type: 'string' } }
    await box.provider().run(request({ system: 'You are careful.', schema, repair: { output: '"x"', errors: ['(root) must be array'] } }), live())
    const { stdin } = box.record()
    expect(stdin.startsWith('You are careful.\n\nFix the typo.\n\nAnswer with one JSON value only')).toBe(true)
    expect(stdin).toContain(JSON.stringify(schema))
    expect(stdin).toContain('- (root) must be array')
  })
})

describe('the codex provider: the events', () => {
  it('reads the last agent message, usage and thread id', async () => {
    let activity = 0
    const response = await sandbox().provider().run(request({ onActivity: () => activity++ }), live())
    expect(response).toEqual({
      text: 'Hello from the fake codex.',
      usage: { inputTokens: 500, outputTokens: 42, cacheReadTokens: 1500 },
      model: 'gpt-5-codex',
      sessionId: '0199a213-81c0-7800-8aa1-bbab2a035a53',
    })
    expect(activity).toBeGreaterThan(0)
  })

  it('accepts the older item_type event shape', async () => {
    const response = await sandbox({ variant: 'item_type', text: 'older shape' }).provider().run(request(), live())
    expect(response.text).toBe('older shape')
  })

  it('parses flat items, skips non-JSON lines and sums usage over turns', () => {
    const events = parseCodexEvents(
      [
        'Reading prompt from stdin...',
        JSON.stringify({ type: 'item.completed', item_type: 'assistant_message', text: 'flat' }),
        JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 10, output_tokens: 1 } }),
        JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 20, cached_input_tokens: 5, output_tokens: 2 } }),
        '',
      ].join('\n'),
    )
    expect(events.text).toBe('flat')
    expect(events.usage).toEqual({ inputTokens: 25, outputTokens: 3, cacheReadTokens: 5 })
    expect(events.completed).toBe(true)
    expect(events.threadId).toBeUndefined()
  })
})

describe('the codex provider: errors', () => {
  const failure = async (scenario: object, options: Partial<CodexOptions> = {}) =>
    (await sandbox(scenario).provider(options).run(request(), live()).catch((e: unknown) => e)) as WorkflowError

  it('classifies a failed turn and keeps the key out of the message', async () => {
    const error = await failure({ turnFailed: `unexpected status 401 Unauthorized: Incorrect API key provided: ${API_KEY}`, exitCode: 1 })
    expect(error).toBeInstanceOf(WorkflowError)
    expect(error.code).toBe('AUTH')
    expect(error.message).toContain('401 Unauthorized')
    expect(error.message).not.toContain(API_KEY)
  })

  it('classifies an error event', async () => {
    const error = await failure({ error: 'exceeded retry limit, last status: 429 Too Many Requests' })
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.transient).toBe(true)
  })

  it('treats a stream timeout as a transient provider error', async () => {
    const error = await failure({ error: 'stream disconnected before completion: timeout', exitCode: 1 })
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(true)
  })

  it('fails on a non-zero exit with redacted stderr', async () => {
    const error = await failure({ exitCode: 2, stderr: 'fatal: bad config value my-secret-value-777' }, { secrets: ['my-secret-value-777'] })
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(false)
    expect(error.message).toContain('exited with code 2')
    expect(error.message).toContain('bad config value [redacted]')
    expect(error.message).not.toContain('my-secret-value-777')
  })

  it('names the command when codex is not installed', async () => {
    const error = (await createCodexProvider({ command: 'dwf-no-such-codex', env: sandbox().env }).run(request(), live()).catch((e: unknown) => e)) as WorkflowError
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain('dwf-no-such-codex')
  })

  it('ends a hung codex on abort', async () => {
    const controller = new AbortController()
    let started!: () => void
    const activity = new Promise<void>((resolve) => (started = resolve))
    const running = sandbox({ hang: true }).provider().run(request({ onActivity: () => started() }), controller.signal)
    await activity
    const reason = new WorkflowError('STOPPED', 'the run was stopped')
    controller.abort(reason)
    await expect(running).rejects.toBe(reason)
  })
})
