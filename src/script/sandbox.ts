import variant from '@jitl/quickjs-singlefile-mjs-release-sync'
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSDeferredPromise, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten-core'
import { toErrorInfo, WorkflowError, type ErrorCode, type ErrorInfo } from '../engine/errors.js'
import type { ScriptHost, WorkflowProgram } from '../engine/ports.js'
import { withoutUndefined } from '../util/objects.js'
import { CpuMeter } from './cpu-meter.js'
import { MAIN_HOOK, type LoadedScript } from './load.js'
import { PRELUDE_FILE, preludeSource } from './prelude.js'

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
const HOST = '__dwf_host'

type Reply = { ok: true; value: unknown } | { ok: false; error: ErrorInfo }
type SyncRequest = { op: 'log' | 'phase' | 'readFile' | 'glob' | 'budget'; args: unknown[]; line?: number }

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
  readonly #deferreds = new Set<QuickJSDeferredPromise>()
  #pumpQueued = false
  #disposed = false
  #outOfMemory = false
  /** Set when QuickJS can no longer be trusted (native stack exhausted): never touch it again. */
  #broken: WorkflowError | undefined
  #brokenListener: ((error: WorkflowError) => void) | undefined

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
      throw this.#broken ?? error
    }
  }

  async #run(args: unknown): Promise<unknown> {
    const ctx = this.#context
    this.#installHost()
    this.#enter(() => {
      const prelude = ctx.unwrapResult(ctx.evalCode(preludeSource(HOST, MAIN_HOOK), PRELUDE_FILE))
      const hostObject = ctx.getProp(ctx.global, HOST)
      const argsJson = ctx.newString(JSON.stringify(args ?? {}))
      const file = ctx.newString(this.#script.file)
      ctx.unwrapResult(ctx.callFunction(prelude, ctx.undefined, hostObject, argsJson, file)).dispose()
      for (const handle of [prelude, hostObject, argsJson, file]) handle.dispose()
    })
    const evaluated = this.#enter(() => ctx.evalCode(this.#script.code, this.#script.file))
    if (evaluated.error) {
      const info = this.#dumpError(evaluated.error)
      evaluated.error.dispose()
      throw this.#toError(info)
    }
    // resolvePromise first, then run jobs: the other order can leave a settled promise pending.
    const settledPromise = ctx.resolvePromise(evaluated.value)
    evaluated.value.dispose()
    this.#pump()
    const settled = await Promise.race([settledPromise, this.#brokenPromise()])
    if (this.#broken) throw this.#broken
    if (settled.error) {
      const info = this.#dumpError(settled.error)
      settled.error.dispose()
      throw this.#toError(info)
    }
    const reply = JSON.parse(ctx.getString(settled.value)) as Reply
    settled.value.dispose()
    if (!reply.ok) throw this.#toError(reply.error)
    return reply.value
  }

  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    // After a tripped limit QuickJS may fail its own leak check while freeing (and print an
    // abort message); its memory is dropped with the module instead.
    if (this.#broken || this.#cpu.tripped || this.#outOfMemory) return
    try {
      for (const deferred of this.#deferreds) deferred.dispose()
      this.#deferreds.clear()
      this.#context.dispose()
      this.#runtime.dispose()
    } catch {
      // A runtime interrupted mid-allocation can fail its leak assertion; the module is dropped.
    }
  }

  /** Two raw functions that take and return JSON text; the prelude builds the API on them. */
  #installHost(): void {
    const ctx = this.#context
    const object = ctx.newObject()
    const syncFn = ctx.newFunction('sync', (handle) => ctx.newString(this.#sync(ctx.getString(handle))))
    const asyncFn = ctx.newFunction('async', (handle) => {
      const request = JSON.parse(ctx.getString(handle)) as { prompt: unknown; options?: unknown; line?: number }
      const deferred = ctx.newPromise()
      this.#deferreds.add(deferred)
      // Handled after the script yields, so engine work never counts as script CPU time.
      Promise.resolve()
        .then(() => this.#host.agent(request))
        .then(
          (value) => this.#settle(deferred, { ok: true, value }),
          (error: unknown) => this.#settle(deferred, { ok: false, error: withLine(toErrorInfo(error), request.line) }),
        )
      return deferred.handle
    })
    ctx.setProp(object, 'sync', syncFn)
    ctx.setProp(object, 'async', asyncFn)
    ctx.setProp(ctx.global, HOST, object)
    for (const handle of [syncFn, asyncFn, object]) handle.dispose()
  }

  #sync(text: string): string {
    const { op, args, line } = JSON.parse(text) as SyncRequest
    const host = this.#host
    try {
      const value =
        op === 'log'
          ? host.log(String(args[0]), line)
          : op === 'phase'
            ? host.phase(args[0], args[1] ?? undefined, line)
            : op === 'readFile'
              ? host.readFile(args[0], line)
              : op === 'glob'
                ? host.glob(args[0], line)
                : host.budget()
      return JSON.stringify({ ok: true, value: value ?? null })
    } catch (error) {
      return JSON.stringify({ ok: false, error: withLine(toErrorInfo(error), line) })
    }
  }

  #settle(deferred: QuickJSDeferredPromise, reply: Reply): void {
    if (this.#disposed || !this.#deferreds.delete(deferred)) return
    const ctx = this.#context
    const text = ctx.newString(JSON.stringify(reply))
    deferred.resolve(text)
    text.dispose()
    deferred.dispose()
    this.#pump()
  }

  /** Runs the guest's pending jobs once per batch of settled host calls. */
  #pump(): void {
    if (this.#pumpQueued) return
    this.#pumpQueued = true
    queueMicrotask(() => {
      this.#pumpQueued = false
      if (this.#disposed || this.#broken) return
      try {
        const result = this.#enter(() => this.#runtime.executePendingJobs())
        if (result.error) result.error.dispose()
      } catch {
        // #enter has recorded a broken runtime; run() rejects through #brokenPromise.
      }
    })
  }

  /** Every entry into the guest: counted as script CPU time, guarded against a blown native stack. */
  #enter<T>(work: () => T): T {
    this.#cpu.enter()
    try {
      return work()
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        this.#broken = new WorkflowError('SCRIPT_ERROR', 'stack overflow: the script nests or recurses too deeply')
        this.#brokenListener?.(this.#broken)
      }
      throw error
    } finally {
      this.#cpu.leave()
    }
  }

  #brokenPromise(): Promise<never> {
    return new Promise((_, reject) => {
      this.#brokenListener = reject
    })
  }

  #dumpError(handle: QuickJSHandle): ErrorInfo {
    const dumped = this.#context.dump(handle) as { name?: string; message?: string; stack?: string; line?: number; code?: string } | string
    if (typeof dumped !== 'object' || dumped === null) return { code: 'SCRIPT_ERROR', message: String(dumped) }
    const site = siteOf(dumped.stack, this.#script.file)
    const message = dumped.name && dumped.name !== 'Error' ? `${dumped.name}: ${dumped.message}` : String(dumped.message)
    return { code: (dumped.code as ErrorCode) ?? 'SCRIPT_ERROR', message, ...site }
  }

  /** The error the engine sees, with limits named in words a user can act on. */
  #toError(info: ErrorInfo): WorkflowError {
    const where = { line: info.line, column: info.column }
    if (this.#cpu.tripped)
      return new WorkflowError('CPU_LIMIT', `the script ran for more than ${this.#limits.cpuMs / 1000}s without waiting for an agent (an endless loop?) and was stopped`, where)
    if (/out of memory/.test(info.message)) {
      this.#outOfMemory = true
      return new WorkflowError('MEMORY_LIMIT', `the script used more than ${Math.round(this.#limits.memoryBytes / 1048576)} MB of memory and was stopped`, where)
    }
    if (/stack overflow/.test(info.message)) return new WorkflowError('SCRIPT_ERROR', `${info.message}: the script recurses too deeply`, where)
    return new WorkflowError(info.code, info.message, where)
  }
}

function withLine(info: ErrorInfo, line: number | undefined): ErrorInfo {
  return info.line === undefined && line !== undefined ? { ...info, line } : info
}

/** Line and column of the innermost frame of the script in a QuickJS stack. */
function siteOf(stack: string | undefined, file: string): { line?: number; column?: number } {
  for (const frame of (stack ?? '').split('\n')) {
    const match = /\((.*):(\d+):(\d+)\)\s*$/.exec(frame) ?? /at (.*):(\d+):(\d+)\s*$/.exec(frame)
    if (match && match[1] === file) return { line: Number(match[2]), column: Number(match[3]) }
  }
  return {}
}
