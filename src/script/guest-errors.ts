import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import { WorkflowError, type ErrorInfo } from '../core/errors.js'
import type { CpuMeter } from './cpu-meter.js'
import type { LoadedScript } from './load.js'
import { loopAt, originalColumn } from './positions.js'
import type { SandboxLimits } from './sandbox-limits.js'
import { inUtc } from './utc-clock.js'

/** Reads what the guest threw, and names it in the script's own lines and in words a user can act on. */
export class GuestErrors {
  readonly #context: QuickJSContext
  readonly #script: LoadedScript
  readonly #limits: Required<SandboxLimits>
  readonly #cpu: CpuMeter

  constructor(context: QuickJSContext, script: LoadedScript, limits: Required<SandboxLimits>, cpu: CpuMeter) {
    this.#context = context
    this.#script = script
    this.#limits = limits
    this.#cpu = cpu
  }

  /**
   * An error the host caught from the guest. The script's own throws never get here (the
   * prelude turns them into replies), so a null is QuickJS out of memory, unable to allocate
   * even the error.
   */
  dump(handle: QuickJSHandle): ErrorInfo {
    // Dumping can run guest code (a toJSON): in UTC like every guest entry.
    const dumped = inUtc(() => this.#context.dump(handle)) as { name?: string; message?: string; stack?: string; line?: number; code?: string } | string | null
    if (dumped === null) return { code: 'MEMORY_LIMIT', message: 'out of memory' }
    if (typeof dumped !== 'object') return { code: 'SCRIPT_ERROR', message: String(dumped) }
    const site = siteOf(dumped.stack, this.#script.file)
    const message = dumped.name && dumped.name !== 'Error' ? `${dumped.name}: ${dumped.message}` : String(dumped.message)
    // Never the value's own `code`: whatever escapes the prelude's reply is the script's error.
    return { code: 'SCRIPT_ERROR', message, ...site }
  }

  /** The error of a failed crossing into the guest (the prelude's start, an answer delivery). */
  crossingError(handle: QuickJSHandle): WorkflowError {
    const info = this.dump(handle)
    handle.dispose()
    return this.toError(info)
  }

  /** The error the engine sees: the user's own line and column, and limits named in words a user can act on. */
  toError(info: ErrorInfo): WorkflowError {
    const positions = this.#script.positions
    if (this.#cpu.tripped) {
      // QuickJS reports a tight loop's function, not the loop: find the loop in it.
      const loop = info.line === undefined || info.column === undefined ? undefined : loopAt(positions, info.line, info.column)
      const where = loop ?? this.#userSite(info)
      return new WorkflowError('CPU_LIMIT', `the script ran for more than ${this.#limits.cpuMs / 1000}s without waiting for an agent (an endless loop?) and was stopped`, where)
    }
    const where = this.#userSite(info)
    if (isOutOfMemory(info))
      return new WorkflowError('MEMORY_LIMIT', `the script used more than ${Math.round(this.#limits.memoryBytes / 1048576)} MB of memory and was stopped`, where)
    if (/stack overflow/.test(info.message)) return new WorkflowError('SCRIPT_ERROR', `${info.message}: the script recurses too deeply`, where)
    return new WorkflowError(info.code, info.message, where)
  }

  /** A reported position in the user's columns; a position inside the top-level wrapper has no user line. */
  #userSite(info: Pick<ErrorInfo, 'line' | 'column'>): { line?: number; column?: number } {
    if (info.line === undefined) return {}
    if (info.column === undefined) return { line: info.line }
    const { wrapper } = this.#script.positions
    if (info.line === wrapper.line && info.column >= wrapper.column && info.column < wrapper.column + wrapper.length) return {}
    return { line: info.line, column: originalColumn(this.#script.positions, info.line, info.column) }
  }
}

/** QuickJS's "InternalError: out of memory", or the null it throws when it cannot allocate even that. */
export function isOutOfMemory(info: ErrorInfo): boolean {
  return info.code === 'MEMORY_LIMIT' || /out of memory/.test(info.message)
}

/** Line and column of the innermost frame of the script in a QuickJS stack ("at f (file:12:5)"). */
export function siteOf(stack: string | undefined, file: string): { line?: number; column?: number } {
  const text = stack ?? ''
  let at = text.indexOf(`(${file}:`)
  if (at < 0) {
    at = text.indexOf(`at ${file}:`)
    if (at < 0) return {}
    at += 2
  }
  const [line, column] = text
    .slice(at + file.length + 2)
    .split(':')
    .map((part) => parseInt(part, 10))
  return line! > 0 ? { line, ...(column! > 0 ? { column } : {}) } : {}
}
