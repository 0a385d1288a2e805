import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core'
import { WorkflowError } from '../core/errors.js'
import type { ScriptHost } from '../core/ports.js'
import { CpuMeter } from './cpu-meter.js'
import { GuestErrors, isOutOfMemory } from './guest-errors.js'
import { readAgentBatch, readFinalReply, type Reply } from './guest-messages.js'
import { answerSyncRequest, askAgents, createHostObject } from './host-functions.js'
import type { LoadedScript } from './load.js'
import { startPrelude } from './prelude.js'
import { STACK_BYTES, type SandboxLimits } from './sandbox-limits.js'
import { inUtc } from './utc-clock.js'

/**
 * One run of a script in its own QuickJS runtime: the prelude and the script are evaluated,
 * then the guest's jobs run once per batch of agent answers, until the script replies, fails
 * or can no longer make progress.
 */
export class GuestRun {
  readonly #runtime: QuickJSRuntime
  readonly #context: QuickJSContext
  readonly #script: LoadedScript
  readonly #host: ScriptHost
  readonly #cpu: CpuMeter
  readonly #errors: GuestErrors
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
    this.#cpu = new CpuMeter(limits.cpuMs)
    runtime.setMemoryLimit(limits.memoryBytes)
    runtime.setMaxStackSize(STACK_BYTES)
    runtime.setInterruptHandler(() => this.#cpu.exceeded())
    this.#context = runtime.newContext()
    this.#errors = new GuestErrors(this.#context, script, limits, this.#cpu)
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
      const host = this.#hostObject()
      const started = startPrelude(ctx, host, args, this.#script.file)
      host.dispose()
      if (started.error) throw this.#errors.crossingError(started.error)
      this.#deliverFn = started.value
    })
    const evaluated = this.#enter(() => ctx.evalCode(this.#script.code, this.#script.file))
    if (evaluated.error) {
      const info = this.#errors.dump(evaluated.error)
      evaluated.error.dispose()
      throw this.#errors.toError(info)
    }
    // The prelude hands the final reply to the host's `done`, never through a promise the host
    // would resolve with the realm's own (replaceable) Promise.resolve and then().
    this.#main = evaluated.value
    const finished = new Promise<string>((resolve) => (this.#onReply = resolve))
    this.#pump()
    const text = await Promise.race([finished, this.#failurePromise()])
    if (this.#failure) throw this.#failure
    const reply = readFinalReply(text)
    if (!reply.ok) throw this.#errors.toError(reply.error)
    // A guest stopped by the CPU limit never returns a result, even when what was stopped was a stray callback.
    if (this.#cpu.tripped) throw this.#errors.toError({ code: 'CPU_LIMIT', message: 'interrupted' })
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

  #hostObject(): QuickJSHandle {
    return createHostObject(this.#context, {
      sync: (text) => answerSyncRequest(this.#host, text),
      agents: (text) => this.#askAgents(text),
      done: (text) => {
        if (this.#replied) return
        this.#replied = true
        this.#onReply?.(text)
      },
    })
  }

  #askAgents(text: string): void {
    let batch: ReturnType<typeof readAgentBatch>
    try {
      batch = readAgentBatch(text)
    } catch (error) {
      return this.#fail(error as WorkflowError)
    }
    this.#unanswered += batch.length
    // Handled after the script yields, so engine work never counts as script CPU time.
    queueMicrotask(() => askAgents(batch, this.#host, this.#script.file, (id, reply) => this.#deliver(id, reply)))
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
          this.#deliverAnswers()
          this.#runPendingJobs()
        })
      } catch {
        return // #enter has recorded a broken runtime; run() rejects through #failurePromise.
      }
      this.#detectDeadlock()
    })
  }

  /** Hands the queued answers to the prelude's deliver function, in one crossing. */
  #deliverAnswers(): void {
    if (this.#outbox.length === 0) return
    const ctx = this.#context
    const batch = ctx.newString(`[${this.#outbox.join(',')}]`)
    this.#outbox = []
    const delivered = ctx.callFunction(this.#deliverFn!, ctx.undefined, batch)
    batch.dispose()
    // Answers that never reached the script would leave it waiting forever: end the run, saying why.
    if (delivered.error) this.#fail(this.#errors.crossingError(delivered.error))
    else delivered.value.dispose()
  }

  #runPendingJobs(): void {
    const result = this.#runtime.executePendingJobs()
    if (!result.error) return
    // A job stopped by the CPU limit ends the run, even one nothing awaits (a stray
    // .then callback): a tripped guest must never go on to return a result.
    // (When the script itself was stopped, run() reports it, with the loop's line.)
    const info = this.#errors.dump(result.error)
    result.error.dispose()
    if (this.#cpu.tripped && this.#main && this.#context.getPromiseState(this.#main).type === 'pending') this.#fail(this.#errors.toError(info))
    // A job that could not run for lack of memory may be the one the script waits for.
    else if (isOutOfMemory(info)) this.#fail(this.#errors.toError(info))
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
      this.#fail(this.#errors.toError({ code: 'CPU_LIMIT', message: 'interrupted' }))
      return
    }
    const state = this.#context.getPromiseState(this.#main)
    if (state.type === 'pending') {
      this.#fail(new WorkflowError('SCRIPT_ERROR', 'the script is waiting for a promise that nothing will ever settle (an await on something other than an agent call?)'))
      return
    }
    const info = state.type === 'rejected' ? this.#errors.dump(state.error) : { code: 'SCRIPT_ERROR' as const, message: 'the script ended without a result' }
    ;(state.type === 'rejected' ? state.error : state.value).dispose()
    this.#fail(this.#errors.toError(info))
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
}
