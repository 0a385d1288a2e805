import { spawn, type ChildProcess } from 'node:child_process'
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
  if (options.signal.aborted) return Promise.reject(options.signal.reason)
  return new Promise<ProcessResult>((resolve, reject) => new GroupRun(options, resolve, reject).start())
}

/** One run of a program and its process group, from spawn until the promise settles. */
class GroupRun {
  readonly #stdout: Buffer[] = []
  readonly #stderr: Buffer[] = []
  #bytes = 0
  #exited = false
  #settled = false
  /** Why the group is being killed: the abort reason or the output-limit error. */
  #failure: { reason: unknown } | undefined
  #killTimer: NodeJS.Timeout | undefined
  #pollTimer: NodeJS.Timeout | undefined
  #closed: { code: number | null; signal: NodeJS.Signals | null } | undefined
  #child: ChildProcess | undefined
  #pgid: number | undefined
  readonly #onAbort = () => this.#fail(this.options.signal.reason)

  constructor(
    private readonly options: RunProcessOptions,
    private readonly resolve: (result: ProcessResult) => void,
    private readonly reject: (reason: unknown) => void,
  ) {}

  start(): void {
    const { options } = this
    const child = spawn(options.command, options.args, {
      env: options.env,
      cwd: options.cwd,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    this.#child = child
    this.#pgid = child.pid
    options.signal.addEventListener('abort', this.#onAbort, { once: true })
    child.stdout!.on('data', (chunk: Buffer) => this.#collect(this.#stdout, chunk))
    child.stderr!.on('data', (chunk: Buffer) => this.#collect(this.#stderr, chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only spawning can fail here (signals go through process.kill): no process exists.
      const reason = this.#failure ? this.#failure.reason : spawnError(options, error)
      this.#settle(() => this.reject(reason))
    })
    child.on('exit', () => this.#onExit())
    child.on('close', (code: number | null, sig: NodeJS.Signals | null) => {
      this.#exited = true
      this.#closed = { code, signal: sig }
      if (!this.#failure && (this.#pgid === undefined || !this.#killTimer || !groupAlive(this.#pgid))) this.#finish()
    })
    if (options.stdin !== undefined && child.stdin) {
      // A child that exits without reading its input is not an error of ours: its exit code tells.
      child.stdin.on('error', () => {})
      child.stdin.end(options.stdin)
    }
  }

  #onExit(): void {
    this.#exited = true
    if (this.#failure) {
      if (this.#pgid !== undefined && !groupAlive(this.#pgid)) this.#finish()
      return
    }
    // Whatever the leader left running in its group would hold the pipes open: end it.
    if (this.#pgid !== undefined && groupAlive(this.#pgid)) this.#killGroup()
  }

  #collect(into: Buffer[], chunk: Buffer): void {
    if (this.#failure) return
    this.#bytes += chunk.length
    const maxBytes = this.options.maxOutputBytes ?? MAX_ANSWER_BYTES
    if (this.#bytes > maxBytes) {
      this.#fail(answerTooLarge(this.options.name ?? this.options.command, maxBytes))
      return
    }
    into.push(chunk)
    this.options.onActivity?.()
  }

  #fail(reason: unknown): void {
    if (this.#failure || this.#settled) return
    this.#failure = { reason }
    this.#child?.stdin?.destroy()
    this.#killGroup()
    if (this.#exited && this.#pgid !== undefined && !groupAlive(this.#pgid)) this.#finish()
  }

  /** Ends the whole group: SIGTERM now, SIGKILL after the grace period; finishes once it is gone. */
  #killGroup(): void {
    const pgid = this.#pgid
    if (pgid === undefined || this.#killTimer) return
    signalGroup(pgid, 'SIGTERM')
    this.#killTimer = setTimeout(() => {
      signalGroup(pgid, 'SIGKILL')
      // SIGKILL cannot be caught: finish as soon as the leader is reaped, whatever zombies remain.
      clearInterval(this.#pollTimer)
      this.#pollTimer = setInterval(() => {
        if (this.#exited) this.#finish()
      }, POLL_MS)
      if (this.#exited) this.#finish()
    }, KILL_GRACE_MS)
    this.#pollTimer = setInterval(() => {
      if (this.#exited && !groupAlive(pgid)) this.#finish()
    }, POLL_MS)
  }

  #finish(): void {
    if (this.#failure) {
      const { reason } = this.#failure
      this.#settle(() => this.reject(reason))
    } else if (this.#closed) {
      const result = this.#closed
      this.#settle(() => this.resolve({ ...result, stdout: Buffer.concat(this.#stdout).toString('utf8'), stderr: Buffer.concat(this.#stderr).toString('utf8') }))
    }
  }

  #settle(action: () => void): void {
    if (this.#settled) return
    this.#settled = true
    this.options.signal.removeEventListener('abort', this.#onAbort)
    clearTimeout(this.#killTimer)
    clearInterval(this.#pollTimer)
    action()
  }
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
