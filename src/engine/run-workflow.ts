import { setMaxListeners } from 'node:events'
import { CallKeyer } from '../journal/identity.js'
import { AgentCalls } from './agent-calls.js'
import { Budget } from './budget.js'
import { resolveConfig, type RunConfig } from './config.js'
import { toErrorInfo, WorkflowError } from '../core/errors.js'
import type { RunEvent, RunOutcome } from '../core/events.js'
import { createLimiter } from './limiter.js'
import type { AgentCallRequest, BudgetView, EditsPort, JournalPort, ProviderSet, ScriptHost, WorkflowMeta, WorkflowProgram, WorkspacePort } from '../core/ports.js'
import type { ChangedFile } from '../core/journal-entry.js'
import { declare, noEffects } from '../core/effects.js'
import { checkEffect } from './effect-check.js'
import { formatBytes } from '../util/bytes.js'
import { isRecord } from '../util/objects.js'
import { clipWithNote, LOG_LINE_OVERHEAD_BYTES, MAX_LOG_BYTES, MAX_LOG_LINE, MAX_PHASE_CHANGES, MAX_PHASE_TITLE_CHARS, MAX_PHASES, tooLong } from '../core/limits.js'

export interface RunWorkflowOptions {
  runId: string
  meta: WorkflowMeta
  /** How the script is named in messages ("review.workflow.js"). */
  script?: string
  program: WorkflowProgram
  /** The script's `args` global. */
  args?: unknown
  config?: Partial<RunConfig>
  providers: ProviderSet
  journal: JournalPort
  workspace: WorkspacePort
  /** Editing calls and the script's writes; without it, `edits: true`, writeFile() and applyPatch() are refused. */
  edits?: EditsPort
  /** The one event stream; reduce it with `applyEvents` to get the snapshot. */
  onEvent: (event: RunEvent) => void
  /** Aborting stops the run: in-flight calls are aborted, the journal keeps what completed. */
  signal?: AbortSignal
  /** Clock for event times (tests pass a fake one). */
  now?: () => number
  /**
   * "May this call run live here?" Returns a reason to refuse, or undefined. Room for
   * sharded runs, where a job runs live only the calls of its shard.
   */
  livePolicy?: (call: { key: string; hash: string }) => string | undefined
}

/**
 * Runs a workflow program to its end: every `agent()` call is replayed from the journal when
 * its key is there, otherwise run live under the limits and journaled before the script
 * sees the result. Never throws for anything the script or a provider does.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunOutcome> {
  return new WorkflowRun(options).execute()
}

class WorkflowRun implements ScriptHost {
  readonly #options: RunWorkflowOptions
  readonly #config: RunConfig
  readonly #budget: Budget
  readonly #stop = new AbortController()
  readonly #calls: AgentCalls
  #phase: string | undefined
  /** Every phase title this run has had (meta's and phase()'s), and how often it changed phase. */
  readonly #phases = new Set<string>()
  #phaseChanges = 0
  #fatal: WorkflowError | undefined
  #logBytes = 0
  readonly #effects = noEffects()

  constructor(options: RunWorkflowOptions) {
    this.#options = options
    this.#config = resolveConfig(options.config)
    this.#budget = new Budget({ tokens: this.#config.tokenBudget, costUsd: this.#config.costBudgetUsd })
    this.#calls = new AgentCalls({
      ...options,
      config: this.#config,
      budget: this.#budget,
      keyer: new CallKeyer(),
      limiter: createLimiter(this.#config.concurrency),
      signal: this.#stop.signal,
      emit: (event) => this.#emit(event),
      now: () => this.#now(),
      currentPhase: () => this.#phase,
      fatal: () => this.#fatal,
      setFatal: (error) => {
        this.#fatal ??= error
      },
    })
  }

  async execute(): Promise<RunOutcome> {
    const { meta, signal } = this.#options
    // Every queued call listens for a stop: thousands of listeners are expected here.
    setMaxListeners(0, this.#stop.signal)
    const onAbort = () => this.#stop.abort(new WorkflowError('STOPPED', 'the run was stopped'))
    if (signal?.aborted) onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    this.#emit({
      type: 'run_started',
      at: this.#now(),
      runId: this.#options.runId,
      name: meta.name,
      description: meta.description,
      script: this.#options.script,
      phases: meta.phases ?? [],
      provider: this.#options.providers.defaultProvider,
      concurrency: this.#config.concurrency,
      maxAgents: this.#config.maxAgents,
      budget: { tokens: this.#config.tokenBudget, costUsd: this.#config.costBudgetUsd },
    })
    for (const declared of meta.phases ?? []) this.#phases.add(declared.title)
    // Calls made before any phase() belong to the first declared phase.
    if (meta.phases?.[0]) this.#startPhase(meta.phases[0].title)

    const stopped = new Promise<'stopped'>((resolve) => {
      if (this.#stop.signal.aborted) resolve('stopped')
      this.#stop.signal.addEventListener('abort', () => resolve('stopped'), { once: true })
    })
    const script = this.#options.program.run(this, this.#options.args ?? {}).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    let settled = await Promise.race([script, stopped])
    // Un-awaited calls still finish and are journaled: they are paid for.
    if (settled !== 'stopped') settled = (await Promise.race([this.#drain().then(() => settled), stopped])) as typeof settled
    if (settled === 'stopped') await this.#drain()
    signal?.removeEventListener('abort', onAbort)
    this.#options.program.dispose()

    const outcome = this.#outcome(settled)
    this.#emit({ type: 'run_finished', at: this.#now(), status: outcome.status, result: outcome.result, error: outcome.error })
    return outcome
  }

  #outcome(settled: 'stopped' | { ok: true; value: unknown } | { ok: false; error: unknown }): RunOutcome {
    const usedKeys = this.#calls.usedKeys
    if (settled === 'stopped') return { status: 'stopped', error: { code: 'STOPPED', message: 'the run was stopped' }, usedKeys }
    if (this.#fatal) return { status: 'failed', error: this.#fatal.toInfo(), usedKeys }
    if (!settled.ok) return { status: 'failed', error: toErrorInfo(settled.error), usedKeys }
    return { status: 'succeeded', result: settled.value ?? null, usedKeys }
  }

  #drain(): Promise<void> {
    return this.#calls.drain()
  }

  // ---- ScriptHost: what the sandbox may call ----

  agent(request: AgentCallRequest): Promise<unknown> {
    return this.#calls.call(request)
  }

  phase(title: unknown, options: unknown, line?: number): void {
    const fail = (message: string) => new WorkflowError('INVALID_CALL', `phase(): ${message}`, { line })
    if (typeof title !== 'string' || title.trim() === '') throw fail('the title must be a non-empty string')
    if (title.length > MAX_PHASE_TITLE_CHARS) throw fail(`the title ${tooLong(title.length, MAX_PHASE_TITLE_CHARS)}; shorten it`)
    if (!this.#phases.has(title) && this.#phases.size >= MAX_PHASES)
      throw fail(`a run may have at most ${MAX_PHASES} phases, and this would be phase ${MAX_PHASES + 1}; reuse a phase, or give calls the \`phase\` option`)
    if (title !== this.#phase && this.#phaseChanges >= MAX_PHASE_CHANGES)
      throw fail(`a run may change phase at most ${MAX_PHASE_CHANGES.toLocaleString('en-US')} times (each change is an event in the run's files); give calls the \`phase\` option instead of switching phases in a loop`)
    if (options !== undefined && options !== null) {
      const budget = isRecord(options) ? options.budget : undefined
      const unknown = isRecord(options) ? Object.keys(options).filter((k) => k !== 'budget') : []
      if (!isRecord(options) || unknown.length > 0 || (budget !== undefined && !(typeof budget === 'number' && budget > 0)))
        throw fail('the options must be { budget: <tokens> } with a positive number of tokens')
      if (typeof budget === 'number') this.#budget.limitPhase(title, budget)
    }
    this.#startPhase(title)
  }

  /**
   * A script's log line, as an event. Lines are clipped and a run's log is capped, counting
   * what each line costs in the run's files (its event, escaped, plus a fixed overhead), so a
   * script cannot flood the terminal, the run's files or the host's memory, not even with
   * empty lines.
   */
  log(message: string, line?: number): void {
    if (this.#logBytes > MAX_LOG_BYTES) return
    const clipped = clipWithNote(String(message), MAX_LOG_LINE)
    this.#logBytes += Buffer.byteLength(JSON.stringify(clipped)) + LOG_LINE_OVERHEAD_BYTES
    if (this.#logBytes > MAX_LOG_BYTES) {
      this.#emit({ type: 'warning', at: this.#now(), message: `the script logged over ${formatBytes(MAX_LOG_BYTES)}; further log() lines are dropped` })
      return
    }
    this.#emit({ type: 'log', at: this.#now(), message: clipped, line })
  }

  readFile(path: unknown, line?: number): string {
    if (typeof path !== 'string' || path === '') throw new WorkflowError('INVALID_CALL', 'readFile(): the path must be a non-empty string', { line })
    return withLine(line, () => this.#options.workspace.readFile(path))
  }

  glob(pattern: unknown, line?: number): string[] {
    if (typeof pattern !== 'string' || pattern === '') throw new WorkflowError('INVALID_CALL', 'glob(): the pattern must be a non-empty string', { line })
    return withLine(line, () => this.#options.workspace.glob(pattern))
  }

  writeFile(path: unknown, text: unknown, line?: number): void {
    if (typeof path !== 'string' || path === '') throw new WorkflowError('INVALID_CALL', 'writeFile(): the path must be a non-empty string', { line })
    if (typeof text !== 'string') throw new WorkflowError('INVALID_CALL', `writeFile(): the content must be a string, got ${text === null ? 'null' : typeof text}`, { line })
    this.#editing('writeFile()', line, (edits) => edits.writeFile(path, text))
  }

  applyPatch(diff: unknown, line?: number): ChangedFile[] {
    if (typeof diff !== 'string' || diff.trim() === '') throw new WorkflowError('INVALID_CALL', 'applyPatch(): the patch must be a non-empty string (a unified diff)', { line })
    return this.#editing('applyPatch()', line, (edits) => edits.applyPatch(diff))
  }

  /** Runs a change of the script's; a refusal from below (a link, a folder where a file is) becomes EDIT_FAILED at its line. */
  #editing<T>(what: string, line: number | undefined, change: (edits: EditsPort) => T): T {
    const edits = this.#options.edits
    if (!edits) throw new WorkflowError('INVALID_CALL', `${what} is not available here: this run cannot change files`, { line })
    try {
      return change(edits)
    } catch (error) {
      if (error instanceof WorkflowError) throw error.line === undefined ? new WorkflowError(error.code, error.message, { line }) : error
      throw new WorkflowError('EDIT_FAILED', `${what}: ${(error as Error).message}`, { line })
    }
  }

  effect(args: unknown[], line?: number): void {
    const effect = checkEffect(args, this.#effects, line)
    declare(this.#effects, effect)
    this.#emit({ type: 'effect', at: this.#now(), effect, line })
  }

  budget(): BudgetView {
    return this.#budget.view()
  }

  // ---- helpers ----

  #startPhase(title: string): void {
    if (title === this.#phase) return
    this.#phase = title
    this.#phases.add(title)
    this.#phaseChanges++
    this.#emit({ type: 'phase_started', at: this.#now(), title })
  }

  #emit(event: RunEvent): void {
    this.#options.onEvent(event)
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}

/** Runs a workspace access and gives its error the script line. */
function withLine<T>(line: number | undefined, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof WorkflowError && error.line === undefined) throw new WorkflowError(error.code, error.message, { line })
    throw error
  }
}
