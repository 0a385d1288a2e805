import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { classifyCliFailure, runProcess, tail } from '../../src/agents/subprocess.js'
import { WorkflowError, type ErrorCode } from '../../src/core/errors.js'

const FAKE_AGENT = fileURLToPath(new URL('../support/bin/fake-agent.mjs', import.meta.url))
const PARENT_CANARY = 'parent-env-canary-7f3a9c'

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-subprocess-'))
  process.env.DWF_TEST_PARENT_CANARY = PARENT_CANARY
})
afterAll(() => {
  delete process.env.DWF_TEST_PARENT_CANARY
  fs.rmSync(tmp, { recursive: true, force: true })
})

const baseEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin' })
const live = () => new AbortController().signal
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether a process runs (a zombie waiting to be reaped is not running). */
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

/** The "<child> <grandchild>" pids a fake agent wrote, once it has. */
async function pidsFrom(file: string): Promise<[number, number]> {
  while (!fs.existsSync(file)) await pause(10)
  const [child, grandchild] = fs.readFileSync(file, 'utf8').split(' ').map(Number)
  return [child!, grandchild!]
}

let fileSeq = 0
const pidFile = () => path.join(tmp, `pids-${++fileSeq}`)

describe('runProcess: what the child gets', () => {
  it('gives the child exactly the environment passed, never the parent environment', async () => {
    expect(process.env.DWF_TEST_PARENT_CANARY).toBe(PARENT_CANARY)
    const result = await runProcess({ command: FAKE_AGENT, args: ['echo'], env: { ...baseEnv(), ONLY_THIS: 'yes' }, stdin: 'hi', signal: live() })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain(PARENT_CANARY)
    const seen = JSON.parse(JSON.parse(result.stdout).result) as { env: Record<string, string> }
    expect(Object.keys(seen.env).sort()).toEqual(['ONLY_THIS', 'PATH'])
    expect(seen.env.ONLY_THIS).toBe('yes')
  })

  it('writes stdin and closes it; without stdin the child reads nothing', async () => {
    const withInput = await runProcess({ command: FAKE_AGENT, args: ['echo'], env: baseEnv(), stdin: 'the prompt\nline two', signal: live() })
    expect(JSON.parse(JSON.parse(withInput.stdout).result).stdin).toBe('the prompt\nline two')
    const without = await runProcess({ command: FAKE_AGENT, args: ['echo'], env: baseEnv(), signal: live() })
    expect(JSON.parse(JSON.parse(without.stdout).result).stdin).toBe('')
  })

  it('passes arguments verbatim, without a shell', async () => {
    const result = await runProcess({ command: FAKE_AGENT, args: ['echo', 'a b', '$HOME', "'q'"], env: baseEnv(), signal: live() })
    expect(JSON.parse(JSON.parse(result.stdout).result).argv).toEqual(['echo', 'a b', '$HOME', "'q'"])
  })

  it('runs in the given working directory', async () => {
    const result = await runProcess({ command: '/bin/sh', args: ['-c', 'pwd'], env: baseEnv(), cwd: tmp, signal: live() })
    expect(fs.realpathSync(result.stdout.trim())).toBe(fs.realpathSync(tmp))
  })

  it('reports the exit code and stderr of a failing program', async () => {
    const result = await runProcess({ command: FAKE_AGENT, args: ['fail', '3', 'it broke'], env: baseEnv(), stdin: 'x'.repeat(200_000), signal: live() })
    expect(result).toEqual({ code: 3, signal: null, stdout: '', stderr: 'it broke' })
  })

  it('calls onActivity on output', async () => {
    let calls = 0
    const result = await runProcess({ command: FAKE_AGENT, args: ['chatty', '6'], env: baseEnv(), signal: live(), onActivity: () => calls++ })
    expect(result.stdout.endsWith('done')).toBe(true)
    expect(result.stderr).toContain('progress 0')
    expect(calls).toBeGreaterThanOrEqual(2)
  })
})

describe('runProcess: failures', () => {
  it('names the command when the executable does not exist', async () => {
    const error = await runProcess({ command: 'dwf-no-such-program-xyz', args: [], env: baseEnv(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WorkflowError)
    expect((error as WorkflowError).code).toBe('PROVIDER')
    expect((error as WorkflowError).message).toContain('dwf-no-such-program-xyz')
    expect((error as WorkflowError).message).toMatch(/not found/)
  })

  it('says so when the working directory does not exist', async () => {
    const missing = path.join(tmp, 'no-such-dir')
    const error = (await runProcess({ command: FAKE_AGENT, args: ['echo'], env: baseEnv(), cwd: missing, signal: live() }).catch((e: unknown) => e)) as WorkflowError
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain(missing)
  })

  it('kills the program and fails when it prints more than maxOutputBytes', async () => {
    const error = (await runProcess({ command: FAKE_AGENT, args: ['big', '100000'], env: baseEnv(), signal: live(), maxOutputBytes: 1000 }).catch((e: unknown) => e)) as WorkflowError
    expect(error).toBeInstanceOf(WorkflowError)
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toContain('more than 1000 bytes')
  })

  it('rejects at once with the reason of an already aborted signal', async () => {
    const controller = new AbortController()
    const reason = new Error('stopped before the start')
    controller.abort(reason)
    await expect(runProcess({ command: FAKE_AGENT, args: ['echo'], env: baseEnv(), signal: controller.signal })).rejects.toBe(reason)
  })
})

describe('runProcess: no process is left behind', () => {
  it('abort ends a hung program and its grandchild, and rejects with the reason', async () => {
    const file = pidFile()
    const controller = new AbortController()
    const running = runProcess({ command: FAKE_AGENT, args: ['grandchild', file], env: baseEnv(), signal: controller.signal })
    const [child, grandchild] = await pidsFrom(file)
    expect(isRunning(child)).toBe(true)
    expect(isRunning(grandchild)).toBe(true)
    const reason = new WorkflowError('TIMEOUT', 'the agent produced no output')
    controller.abort(reason)
    await expect(running).rejects.toBe(reason)
    expect(isRunning(child)).toBe(false)
    expect(isRunning(grandchild)).toBe(false)
  })

  it('SIGKILLs a program that ignores SIGTERM, grandchild included', async () => {
    const file = pidFile()
    const controller = new AbortController()
    const running = runProcess({ command: FAKE_AGENT, args: ['stubborn', file], env: baseEnv(), signal: controller.signal })
    const [child, grandchild] = await pidsFrom(file)
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(running).rejects.toBe(reason)
    expect(isRunning(child)).toBe(false)
    expect(isRunning(grandchild)).toBe(false)
  })

  it('ends what a program left running in the background when it exits', async () => {
    const file = pidFile()
    const result = await runProcess({ command: FAKE_AGENT, args: ['background', file], env: baseEnv(), signal: live() })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('answered early')
    const [, grandchild] = await pidsFrom(file)
    expect(isRunning(grandchild)).toBe(false)
  })
})

describe('classifyCliFailure', () => {
  const secret = 'canary-secret-value-123'
  it.each<[string, ErrorCode, boolean]>([
    ['API Error: 401 {"type":"authentication_error"}', 'AUTH', false],
    ['Invalid API key · Please run /login', 'AUTH', false],
    ['Authentication failed', 'AUTH', false],
    ['API Error: 429 rate_limit_error', 'RATE_LIMITED', true],
    ['Rate limit reached for requests', 'RATE_LIMITED', true],
    ['API Error: 529 {"type":"overloaded_error"}', 'PROVIDER', true],
    ['API Error: 500 Internal server error', 'PROVIDER', true],
    ['Request timeout after 600s', 'PROVIDER', true],
    ['something unexpected happened', 'PROVIDER', false],
  ])('%s -> %s', (detail, code, transient) => {
    const error = classifyCliFailure('cli failed', `${detail} (key ${secret})`, [secret])
    expect(error.code).toBe(code)
    expect(error.transient).toBe(transient)
    expect(error.message.startsWith('cli failed: ')).toBe(true)
    expect(error.message).not.toContain(secret)
  })

  it('redacts before cutting to the last 500 characters, so no piece of a secret survives', () => {
    const error = classifyCliFailure('cli failed', `${secret}${'x'.repeat(495)}`, [secret])
    expect(error.message).not.toContain(secret.slice(-5))
    expect(tail('a'.repeat(600)).length).toBe(501)
  })
})
