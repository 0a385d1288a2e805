import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { WorkflowError } from '../core/errors.js'
import { answerTooLarge, MAX_ANSWER_BYTES } from './limits.js'
import { redact } from './redact.js'
import { procStat } from '../util/proc-stat.js'

export interface RunProcessOptions {
  command: string
  /** How messages name the program (default: `command`). */
  name?: string
  args: string[]
  /** Exactly the environment the child gets (never process.env wholesale). */
  env: Record<string, string>
  cwd?: string
  /** Written to the child's stdin, then closed; without it stdin is /dev/null. */
  stdin?: string
  signal: AbortSignal
  /** Called on every chunk of stdout or stderr. */
  onActivity?: () => void
  /** stdout + stderr beyond this kills the process group and fails the call (default MAX_ANSWER_BYTES). */
  maxOutputBytes?: number
}

export interface ProcessResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Between SIGTERM to the process group and SIGKILL. */
export const KILL_GRACE_MS = 2000
const POLL_MS = 25

/**
 * Runs a program in its own process group and collects its output. Aborting `signal` (or
 * too much output) sends SIGTERM to the whole group, SIGKILL 2 s later if anything in it is
 * still alive, and rejects with the signal's reason once the group is gone. A group that
 * outlives its leader (a background process left running) is ended the same way, so no
 * process is ever left behind.
 */
export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const { signal } = options
  const maxBytes = options.maxOutputBytes ?? MAX_ANSWER_BYTES
  if (signal.aborted) return Promise.reject(signal.reason)

  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      env: options.env,
      cwd: options.cwd,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    const pgid = child.pid
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let bytes = 0
    let exited = false
    let settled = false
    /** Why the group is being killed: the abort reason or the output-limit error. */
    let failure: { reason: unknown } | undefined
    let killTimer: NodeJS.Timeout | undefined
    let pollTimer: NodeJS.Timeout | undefined
    let closed: { code: number | null; signal: NodeJS.Signals | null } | undefined

    const cleanup = () => {
      signal.removeEventListener('abort', onAbort)
      clearTimeout(killTimer)
      clearInterval(pollTimer)
    }
    const settle = (action: () => void) => {
      if (settled) return
      settled = true
      cleanup()
      action()
    }

    /** Ends the whole group: SIGTERM now, SIGKILL after the grace period; finishes once it is gone. */
    const killGroup = () => {
      if (pgid === undefined || killTimer) return
      signalGroup(pgid, 'SIGTERM')
      killTimer = setTimeout(() => {
        signalGroup(pgid, 'SIGKILL')
        // SIGKILL cannot be caught: finish as soon as the leader is reaped, whatever zombies remain.
        clearInterval(pollTimer)
        pollTimer = setInterval(() => {
          if (exited) finish()
        }, POLL_MS)
        if (exited) finish()
      }, KILL_GRACE_MS)
      pollTimer = setInterval(() => {
        if (exited && !groupAlive(pgid)) finish()
      }, POLL_MS)
    }

    const finish = () => {
      if (failure) {
        const { reason } = failure
        settle(() => reject(reason))
      } else if (closed) {
        const result = closed
        settle(() => resolve({ ...result, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }))
      }
    }

    const fail = (reason: unknown) => {
      if (failure || settled) return
      failure = { reason }
      child.stdin?.destroy()
      killGroup()
      if (exited && pgid !== undefined && !groupAlive(pgid)) finish()
    }

    function onAbort() {
      fail(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (failure) return
      bytes += chunk.length
      if (bytes > maxBytes) {
        fail(answerTooLarge(options.name ?? options.command, maxBytes))
        return
      }
      into.push(chunk)
      options.onActivity?.()
    }
    child.stdout!.on('data', collect(stdout))
    child.stderr!.on('data', collect(stderr))

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only spawning can fail here (signals go through process.kill): no process exists.
      const reason = failure ? failure.reason : spawnError(options, error)
      settle(() => reject(reason))
    })

    child.on('exit', () => {
      exited = true
      if (failure) {
        if (pgid !== undefined && !groupAlive(pgid)) finish()
        return
      }
      // Whatever the leader left running in its group would hold the pipes open: end it.
      if (pgid !== undefined && groupAlive(pgid)) killGroup()
    })

    child.on('close', (code: number | null, sig: NodeJS.Signals | null) => {
      exited = true
      closed = { code, signal: sig }
      if (!failure && (pgid === undefined || !killTimer || !groupAlive(pgid))) finish()
    })

    if (options.stdin !== undefined && child.stdin) {
      // A child that exits without reading its input is not an error of ours: its exit code tells.
      child.stdin.on('error', () => {})
      child.stdin.end(options.stdin)
    }
  })
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig)
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Whether any process of the group is still running (zombies waiting to be reaped do not count). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return liveMembersOnLinux(pgid) ?? true
}

/** On Linux, whether a non-zombie process of the group exists; undefined where /proc cannot tell. */
function liveMembersOnLinux(pgid: number): boolean | undefined {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc')
  } catch {
    return undefined
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const fields = procStat(entry)
    if (fields && Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true
  }
  return false
}

function spawnError(options: RunProcessOptions, error: NodeJS.ErrnoException): WorkflowError {
  if (error.code === 'ENOENT') {
    if (options.cwd !== undefined && !fs.existsSync(options.cwd))
      return new WorkflowError('PROVIDER', `cannot run ${options.command}: the working directory ${options.cwd} does not exist`, { cause: error })
    return new WorkflowError('PROVIDER', `cannot run ${options.command}: command not found (is it installed and on PATH?)`, { cause: error })
  }
  if (error.code === 'EACCES') return new WorkflowError('PROVIDER', `cannot run ${options.command}: permission denied (is it executable?)`, { cause: error })
  return new WorkflowError('PROVIDER', `cannot run ${options.command}: ${error.message}`, { cause: error })
}

/** Picks the named variables that are set in `env`. */
export function pickEnv(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) {
    const value = env[name]
    if (value !== undefined) picked[name] = value
  }
  return picked
}

/** The variables every agent program gets from the caller's environment, when set. */
export const BASE_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const

/** The last `max` characters of `text`, trimmed, with an ellipsis when cut. */
export function tail(text: string, max = 500): string {
  const trimmed = text.trim()
  return trimmed.length > max ? '…' + trimmed.slice(-max) : trimmed
}

/**
 * A typed error from what an agent CLI said about a failure: authentication, rate limits,
 * transient overloads, or a plain provider error. The message is redacted and keeps the last 500 characters.
 */
export function classifyCliFailure(what: string, detail: string, secrets: readonly string[]): WorkflowError {
  // Redact before cutting, so no part of a secret survives at the cut.
  const text = tail(redact(detail, secrets))
  const message = text ? `${what}: ${text}` : what
  if (/\b401\b|authenticat|invalid[ _-]?(?:api[ _-]?)?key|unauthori[sz]ed/i.test(detail)) return new WorkflowError('AUTH', message)
  if (/\b429\b|rate[ _-]?limit/i.test(detail)) return new WorkflowError('RATE_LIMITED', message)
  if (/overloaded|\b5(?:00|02|03|04|29)\b|time[ _-]?out|timed out/i.test(detail)) return new WorkflowError('PROVIDER', message, { transient: true })
  return new WorkflowError('PROVIDER', message)
}

/** Reads a non-negative token count. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}
