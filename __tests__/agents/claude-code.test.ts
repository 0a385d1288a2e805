import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { claudeArgs, createClaudeCodeProvider, type ClaudeCodeOptions } from '../../src/agents/claude-code.js'
import type { AgentRequest, JsonSchema } from '../../src/core/provider.js'
import { WorkflowError } from '../../src/core/errors.js'
import { FakeCliHomes } from '../support/fake-cli-home.js'

const FAKE_CLAUDE = fileURLToPath(new URL('../support/bin/fake-claude.mjs', import.meta.url))
const PARENT_CANARY = 'claude-parent-canary-0c1d'
const ENV_CANARY = 'claude-env-canary-e4f5'
const API_KEY = 'canary-anthropic-key-31337'

const homes = new FakeCliHomes()
beforeAll(() => {
  homes.open('dwf-claude-')
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
    LANG: 'C.UTF-8',
    TMPDIR: homes.root,
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    OPENAI_API_KEY: 'openai-key-not-for-claude',
    OTHER_CANARY: ENV_CANARY,
  }
  delete env.CLAUDE_CODE_OAUTH_TOKEN
  delete env.ANTHROPIC_AUTH_TOKEN
  return {
    home,
    env,
    provider: (options: Partial<ClaudeCodeOptions> = {}) => createClaudeCodeProvider({ command: FAKE_CLAUDE, env, ...options }),
    record,
  }
}

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return { prompt: 'Say hello.', model: 'sonnet', identityHash: 'b'.repeat(64), ...overrides }
}
const live = () => new AbortController().signal

describe('the claude-code provider: invocation', () => {
  it('names itself, defaults to sonnet, and runs claude -p with JSON output', async () => {
    const box = sandbox()
    const provider = box.provider()
    expect(provider.name).toBe('claude-code')
    expect(provider.defaultModel).toBe('sonnet')
    await provider.run(request(), live())
    expect(box.record().argv).toEqual(['-p', '--output-format', 'json', '--model', 'sonnet'])
  })

  it('adds the system prompt, allowed tools and permission mode', async () => {
    const box = sandbox()
    await box.provider({ allowedTools: ['Read', 'Grep'], permissionMode: 'plan' }).run(request({ system: 'You review code.', model: 'opus' }), live())
    expect(box.record().argv).toEqual([
      '-p', '--output-format', 'json', '--model', 'opus',
      '--append-system-prompt', 'You review code.',
      '--allowedTools', 'Read,Grep',
      '--permission-mode', 'plan',
    ])
  })

  it('lets an editing call edit in its copy of the tree without asking, unless a permission mode is configured', () => {
    expect(claudeArgs(request({ cwd: '/tmp/copy' }), {})).toEqual(['-p', '--output-format', 'json', '--model', 'sonnet', '--permission-mode', 'acceptEdits'])
    expect(claudeArgs(request({ cwd: '/tmp/copy' }), { permissionMode: 'plan' })).toContain('plan')
    expect(claudeArgs(request(), {})).not.toContain('--permission-mode')
  })

  it("lets a call's own tools take precedence over the provider's allowed tools", () => {
    expect(claudeArgs(request({ tools: ['Bash'] }), { allowedTools: ['Read'] })).toEqual(['-p', '--output-format', 'json', '--model', 'sonnet', '--allowedTools', 'Bash'])
    expect(claudeArgs(request(), { allowedTools: [] })).toEqual(['-p', '--output-format', 'json', '--model', 'sonnet'])
  })

  it('gives claude only its variables, never the rest of the environment', async () => {
    const box = sandbox()
    const configDir = path.join(box.home, '.claude')
    await box.provider({ configDir }).run(request(), live())
    const { env } = box.record()
    expect(JSON.stringify(env)).not.toContain(PARENT_CANARY)
    expect(JSON.stringify(env)).not.toContain(ENV_CANARY)
    expect(Object.keys(env).sort()).toEqual([
      'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'CLAUDE_CODE_MAX_RETRIES', 'CLAUDE_CONFIG_DIR',
      'DISABLE_AUTOUPDATER', 'HOME', 'LANG', 'PATH', 'TMPDIR',
    ])
    expect(env).toMatchObject({
      ANTHROPIC_API_KEY: API_KEY,
      CLAUDE_CODE_MAX_RETRIES: '2',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      CLAUDE_CONFIG_DIR: configDir,
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      HOME: box.home,
    })
  })

  it('passes an OAuth token when that is the credential, and no CLAUDE_CONFIG_DIR without configDir', async () => {
    const box = sandbox()
    const env: NodeJS.ProcessEnv = { ...box.env, CLAUDE_CODE_OAUTH_TOKEN: 'oauth-token-value-1234' }
    delete env.ANTHROPIC_API_KEY
    await createClaudeCodeProvider({ command: FAKE_CLAUDE, env }).run(request(), live())
    const seen = box.record().env
    expect(seen.CLAUDE_CODE_OAUTH_TOKEN).toBe('oauth-token-value-1234')
    expect(seen.ANTHROPIC_API_KEY).toBeUndefined()
    expect(seen.CLAUDE_CONFIG_DIR).toBeUndefined()
  })

  it('writes the prompt on stdin, with the schema instruction and repair note', async () => {
    const box = sandbox()
    await box.provider().run(request(), live())
    expect(box.record().stdin).toBe('Say hello.')
    const schema: JsonSchema = { type: 'object', properties: { greeting: { type: 'string' } } }
    await box.provider().run(request({ schema, repair: { output: 'hello', errors: ['(root) must be object'] } }), live())
    const { stdin } = box.record()
    expect(stdin).toContain('Say hello.\n\nAnswer with one JSON value only')
    expect(stdin).toContain(JSON.stringify(schema))
    expect(stdin).toContain('- (root) must be object')
  })
})

describe('the claude-code provider: the result', () => {
  it('reads the answer, usage, cost, session and model', async () => {
    let activity = 0
    const response = await sandbox().provider().run(request({ onActivity: () => activity++ }), live())
    expect(response).toEqual({
      text: 'Hello from the fake model.',
      usage: { inputTokens: 12, outputTokens: 7, cacheReadTokens: 5, cacheWriteTokens: 3, costUsd: 0.000235 },
      model: 'claude-sonnet-4-5-20250929',
      sessionId: '4f1c2d3e-0000-4000-8000-000000000001',
    })
    expect(activity).toBeGreaterThan(0)
  })

  it('falls back to the requested model without modelUsage', async () => {
    const response = await sandbox({ noModelUsage: true, result: '{"greeting":"hi"}' }).provider().run(request({ model: 'haiku' }), live())
    expect(response.model).toBe('haiku')
    expect(response.text).toBe('{"greeting":"hi"}')
  })
})

describe('the claude-code provider: errors', () => {
  const failure = async (scenario: object, options: Partial<ClaudeCodeOptions> = {}) =>
    (await sandbox(scenario).provider(options).run(request(), live()).catch((e: unknown) => e)) as WorkflowError

  it('classifies an authentication failure and keeps the key out of the message', async () => {
    const error = await failure({ isError: true, exitCode: 1, result: `Invalid API key · Fix external API key (${API_KEY})` })
    expect(error).toBeInstanceOf(WorkflowError)
    expect(error.code).toBe('AUTH')
    expect(error.message).toContain('Invalid API key')
    expect(error.message).not.toContain(API_KEY)
  })

  it('classifies is_error results even with exit code 0', async () => {
    const error = await failure({ isError: true, result: 'API Error: 429 {"type":"error","error":{"type":"rate_limit_error"}}' })
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.transient).toBe(true)
  })

  it('treats overloads as transient provider errors', async () => {
    const error = await failure({ isError: true, exitCode: 1, result: 'API Error: 529 {"type":"overloaded_error","message":"Overloaded"}' })
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(true)
  })

  it('fails on a non-zero exit with stderr, redacting configured secrets', async () => {
    const error = await failure({ exitCode: 2, stdout: '', stderr: 'Error: something odd with secret extra-secret-9999' }, { secrets: ['extra-secret-9999'] })
    expect(error.code).toBe('PROVIDER')
    expect(error.transient).toBe(false)
    expect(error.message).toContain('exited with code 2')
    expect(error.message).toContain('[redacted]')
    expect(error.message).not.toContain('extra-secret-9999')
  })

  it('fails when stdout holds no JSON result', async () => {
    const error = await failure({ stdout: 'Welcome to Claude Code!\n' })
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain('printed no JSON result')
  })

  it('names the command when claude is not installed', async () => {
    const error = (await createClaudeCodeProvider({ command: 'dwf-no-such-claude', env: sandbox().env }).run(request(), live()).catch((e: unknown) => e)) as WorkflowError
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain('dwf-no-such-claude')
  })

  it('ends a hung claude on abort', async () => {
    const box = sandbox({ hang: true })
    const controller = new AbortController()
    let started!: () => void
    const activity = new Promise<void>((resolve) => (started = resolve))
    const running = box.provider().run(request({ onActivity: () => started() }), controller.signal)
    await activity
    const reason = new WorkflowError('TIMEOUT', 'the agent did not finish within 1s')
    controller.abort(reason)
    await expect(running).rejects.toBe(reason)
  })
})
