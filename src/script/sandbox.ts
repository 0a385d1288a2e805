import variant from '@jitl/quickjs-singlefile-mjs-release-sync'
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten-core'
import { toErrorInfo, WorkflowError, type ErrorInfo } from '../core/errors.js'
import type { ScriptHost, WorkflowProgram } from '../core/ports.js'
import { withoutUndefined } from '../util/objects.js'
import { CpuMeter } from './cpu-meter.js'
import { MAX_JSON_DEPTH, tooDeep } from '../util/json-depth.js'
import { readAgentBatch, readFinalReply, readSyncMessage, type Reply } from './guest-messages.js'
import type { LoadedScript } from './load.js'
import { loopAt, originalColumn } from './positions.js'
import { PRELUDE_FILE, PRELUDE_SOURCE, preludeSharedJson } from './prelude.js'
import { inUtc } from './utc-clock.js'

export interface SandboxLimits {
  /** Synchronous script time allowed in total; time spent waiting for agents does not count. */
  cpuMs?: number
  memoryBytes?: number
}

export const DEFAULT_SANDBOX_LIMITS = { cpuMs: 30_000, memoryBytes: 256 * 1024 * 1024 } as const

/**
 * QuickJS's own stack limit. It must trip before V8's native stack does, because the
 * interpreter's C frames live on Node's stack too; 128 KiB leaves ~700 frames of script
 * recursion. Deeper native recursion (JSON of a very deep object) can still exhaust
 * Node's stack: that is caught and reported, and the whole QuickJS module is dropped.
 */
const STACK_BYTES = 128 * 1024


/** Runs a loaded script in a fresh QuickJS module, runtime and context. */
export function createSandboxProgram(script: LoadedScript, limits: SandboxLimits = {}): WorkflowProgram {
  let sandbox: Sandbox | undefined
  let disposed = false
  return {
    async run(host, args) {
      // A fresh module per run: a script that breaks QuickJS cannot affect any other run.
      const module = await newQuickJSWASMModuleFromVariant(variant)
      if (disposed) throw new WorkflowError('STOPPED', 'the run was stopped')
      sandbox = new Sandbox(module.newRuntime(), script, host, { ...DEFAULT_SANDBOX_LIMITS, ...withoutUndefined(limits) })
      return sandbox.run(args)
    },
    dispose() {
      disposed = true
      sandbox?.dispose()
    },
  }
}

class Sandbox {
  readonly #runtime: QuickJSRuntime
  readonly #context: QuickJSContext
  readonly #script: LoadedScript
  readonly #host: ScriptHost
  readonly #limits: Required<SandboxLimits>
  readonly #cpu: CpuMeter
  /** Answers of agent calls waiting to cross into the guest: `[id, reply]` JSON texts. */
  #outbox: string[] = []
  /** The prelude's function that settles the guest's pending agent() promises. */
  #deliverFn: QuickJSHandle | undefined
  #pumpQueued = false
  #disposed = false
  /** Agent calls the host has not answered yet; with no jobs and none of these, nothing can wake the script. */
  #unanswered = 0
  /** The promise of the script's main function, to tell a finished script from a stuck one. */
  #main: QuickJSHandle | undefined
  /** Takes the script's final reply (JSON text) from the prelude. */
  #onReply: ((text: string) => void) | undefined
  #replied = false
  /** Set when the run must end from the host side (broken runtime, tampered message, deadlock). */
  #failure: WorkflowError | undefined
  #failureListener: ((error: WorkflowError) => void) | undefined

  constructor(runtime: QuickJSRuntime, script: LoadedScript, host: ScriptHost, limits: Required<SandboxLimits>) {
    this.#runtime = runtime
    this.#script = script
    this.#host = host
    this.#limits = limits
    this.#cpu = new CpuMeter(limits.cpuMs)
    runtime.setMemoryLimit(limits.memoryBytes)
    runtime.setMaxStackSize(STACK_BYTES)
    runtime.setInterruptHandler(() => this.#cpu.exceeded())
    this.#context = runtime.newContext()
  }

  async run(args: unknown): Promise<unknown> {
    try {
      return await this.#run(args)
    } catch (error) {
      throw this.#failure ?? error
    }
  }

  async #run(args: unknown): Promise<unknown> {
    const ctx = this.#context
    this.#enter(() => {
      const prelude = ctx.unwrapResult(ctx.evalCode(PRELUDE_SOURCE, PRELUDE_FILE))
      const host = this.#hostObject()
      const argsJson = ctx.newString(JSON.stringify(args ?? {}))
      const file = ctx.newString(this.#script.file)
      const shared = ctx.newString(preludeSharedJson())
      const started = ctx.callFunction(prelude, ctx.undefined, host, argsJson, file, shared)
      for (const handle of [prelude, host, argsJson, file, shared]) handle.dispose()
      // The prelude parses and freezes `args`: large args can exhaust the script's memory already here.
      if (started.error) throw this.#crossingError(started.error)
      this.#deliverFn = started.value
    })
    const evaluated = this.#enter(() => ctx.evalCode(this.#script.code, this.#script.file))
    if (evaluated.error) {
      const info = this.#dumpError(evaluated.error)
      evaluated.error.dispose()
      throw this.#toError(info)
    }
    // The prelude hands the final reply to the host's `done`, never through a promise the host
    // would resolve with the realm's own (replaceable) Promise.resolve and then().
    this.#main = evaluated.value
    const finished = new Promise<string>((resolve) => (this.#onReply = resolve))
    this.#pump()
    const text = await Promise.race([finished, this.#failurePromise()])
    if (this.#failure) throw this.#failure
    const reply = readFinalReply(text)
    if (!reply.ok) throw this.#toError(reply.error)
    // A guest stopped by the CPU limit never returns a result, even when what was stopped was a stray callback.
    if (this.#cpu.tripped) throw this.#toError({ code: 'CPU_LIMIT', message: 'interrupted' })
    return reply.value
  }

  /**
   * Ends the sandbox. The runtime is not freed but dropped with its module: QuickJS can fail
   * its own leak assertion when freeing a runtime whose promise jobs allocated heavily, or
   * one stopped by a limit, and the module is this run's alone, so garbage collection
   * reclaims all of it at once.
   */
  dispose(): void {
    this.#disposed = true
    this.#outbox = []
  }

  /**
   * The two raw host functions, which take and return JSON text only. `sync` answers at
   * once; `async` takes a batch of `[id, request]` and answers later through the prelude's
   * deliver function, many answers per crossing.
   */
  #hostObject(): QuickJSHandle {
    const ctx = this.#context
    const object = ctx.newObject()
    const syncFn = ctx.newFunction('sync', (handle) => ctx.newString(this.#sync(ctx.getString(handle))))
    const asyncFn = ctx.newFunction('async', (batchHandle) => {
      let batch: ReturnType<typeof readAgentBatch>
      try {
        batch = readAgentBatch(ctx.getString(batchHandle))
      } catch (error) {
        return this.#fail(error as WorkflowError)
      }
      this.#unanswered += batch.length
      // Handled after the script yields, so engine work never counts as script CPU time.
      queueMicrotask(() => {
        for (const [id, { prompt, options, stack }] of batch) {
          const line = siteOf(stack, this.#script.file).line
          // Refused here, so no host code walks a structure built to exhaust its stack.
          if (tooDeep(options)) {
            this.#deliver(id, { ok: false, error: { code: 'INVALID_CALL', message: `agent(): the options nest more than ${MAX_JSON_DEPTH} levels deep`, ...(line ? { line } : {}) } })
            continue
          }
          this.#host.agent({ prompt, options, line }).then(
            (value) => this.#deliver(id, { ok: true, value }),
            (error: unknown) => this.#deliver(id, { ok: false, error: withLine(toErrorInfo(error), line) }),
          )
        }
      })
    })
    const doneFn = ctx.newFunction('done', (textHandle) => {
      if (this.#replied) return
      this.#replied = true
      this.#onReply?.(ctx.getString(textHandle))
    })
    ctx.setProp(object, 'sync', syncFn)
    ctx.setProp(object, 'async', asyncFn)
    ctx.setProp(object, 'done', doneFn)
    for (const fn of [syncFn, asyncFn, doneFn]) fn.dispose()
    return object
  }

  #sync(text: string): string {
    try {
      const { op, args, line } = readSyncMessage(text)
      const host = this.#host
      const at = line ?? undefined
      const value =
        op === 'log'
          ? host.log(String(args[0]), at)
          : op === 'phase'
            ? host.phase(args[0], args[1] ?? undefined, at)
            : op === 'readFile'
              ? host.readFile(args[0], at)
              : op === 'glob'
                ? host.glob(args[0], at)
                : host.budget()
      return JSON.stringify({ ok: true, value: value ?? null })
    } catch (error) {
      return JSON.stringify({ ok: false, error: toErrorInfo(error) })
    }
  }

  /** Queues an answer; all answers ready in this tick cross into the guest together. */
  #deliver(id: number, reply: Reply): void {
    this.#unanswered--
    if (this.#disposed) return
    this.#outbox.push(`[${id},${JSON.stringify(reply)}]`)
    this.#pump()
  }

  /** Runs the guest's pending jobs once per batch of settled host calls. */
  #pump(): void {
    if (this.#pumpQueued) return
    this.#pumpQueued = true
    queueMicrotask(() => {
      this.#pumpQueued = false
      if (this.#disposed || this.#failure) return
      try {
        this.#enter(() => {
          if (this.#outbox.length > 0) {
            const ctx = this.#context
            const batch = ctx.newString(`[${this.#outbox.join(',')}]`)
            this.#outbox = []
            const delivered = ctx.callFunction(this.#deliverFn!, ctx.undefined, batch)
            batch.dispose()
            // Answers that never reached the script would leave it waiting forever: end the run, saying why.
            if (delivered.error) this.#fail(this.#crossingError(delivered.error))
            else delivered.value.dispose()
          }
          const result = this.#runtime.executePendingJobs()
          if (result.error) {
            // A job stopped by the CPU limit ends the run, even one nothing awaits (a stray
            // .then callback): a tripped guest must never go on to return a result.
            // (When the script itself was stopped, run() reports it, with the loop's line.)
            const info = this.#dumpError(result.error)
            result.error.dispose()
            if (this.#cpu.tripped && this.#main && this.#context.getPromiseState(this.#main).type === 'pending') this.#fail(this.#toError(info))
            // A job that could not run for lack of memory may be the one the script waits for.
            else if (isOutOfMemory(info)) this.#fail(this.#toError(info))
          }
        })
      } catch {
        return // #enter has recorded a broken runtime; run() rejects through #failurePromise.
      }
      this.#detectDeadlock()
    })
  }

  /**
   * A script awaiting a promise nothing can settle would otherwise hang the run forever; so
   * would a main promise that settled without a reply (the prelude's reply itself failed).
   */
  #detectDeadlock(): void {
    if (this.#replied || this.#unanswered > 0 || this.#outbox.length > 0 || this.#failure || this.#disposed || !this.#main) return
    if (this.#runtime.hasPendingJob()) return
    // A guest stopped by the CPU limit can be left mid-job, its promises never settled: that is the limit, not a deadlock.
    if (this.#cpu.tripped) {
      this.#fail(this.#toError({ code: 'CPU_LIMIT', message: 'interrupted' }))
      return
    }
    const state = this.#context.getPromiseState(this.#main)
    if (state.type === 'pending') {
      this.#fail(new WorkflowError('SCRIPT_ERROR', 'the script is waiting for a promise that nothing will ever settle (an await on something other than an agent call?)'))
      return
    }
    const info = state.type === 'rejected' ? this.#dumpError(state.error) : { code: 'SCRIPT_ERROR' as const, message: 'the script ended without a result' }
    ;(state.type === 'rejected' ? state.error : state.value).dispose()
    this.#fail(this.#toError(info))
  }

  /** Ends the run from the host side. */
  #fail(error: WorkflowError): void {
    this.#failure ??= error
    this.#failureListener?.(this.#failure)
  }

  /** Every entry into the guest: counted as script CPU time, in UTC, guarded against a blown native stack. */
  #enter<T>(work: () => T): T {
    this.#cpu.enter()
    try {
      return inUtc(work)
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) this.#fail(new WorkflowError('SCRIPT_ERROR', 'stack overflow: the script nests or recurses too deeply'))
      throw error
    } finally {
      this.#cpu.leave()
    }
  }

  #failurePromise(): Promise<never> {
    return new Promise((_, reject) => {
      this.#failureListener = reject
    })
  }

  /**
   * An error the host caught from the guest. The script's own throws never get here (the
   * prelude turns them into replies), so a null is QuickJS out of memory, unable to allocate
   * even the error.
   */
  #dumpError(handle: QuickJSHandle): ErrorInfo {
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
  #crossingError(handle: QuickJSHandle): WorkflowError {
    const info = this.#dumpError(handle)
    handle.dispose()
    return this.#toError(info)
  }

  /** The error the engine sees: the user's own line and column, and limits named in words a user can act on. */
  #toError(info: ErrorInfo): WorkflowError {
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
function isOutOfMemory(info: ErrorInfo): boolean {
  return info.code === 'MEMORY_LIMIT' || /out of memory/.test(info.message)
}

function withLine(info: ErrorInfo, line: number | undefined): ErrorInfo {
  return info.line === undefined && line !== undefined ? { ...info, line } : info
}

/** Line and column of the innermost frame of the script in a QuickJS stack ("at f (file:12:5)"). */
function siteOf(stack: string | undefined, file: string): { line?: number; column?: number } {
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
