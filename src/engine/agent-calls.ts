import type { AgentProvider } from '../core/provider.js'
import { componentHashes, identityHash, type CallIdentity, type CallKeyer } from '../journal/identity.js'
import { checkAgentCall, type AgentOptions } from './agent-options.js'
import type { Budget } from './budget.js'
import type { RunConfig } from './config.js'
import { asWorkflowError, BREAKER_CODES, isFatal, WorkflowError } from '../core/errors.js'
import type { MissReason, RunEvent } from '../core/events.js'
import type { Limiter } from './limiter.js'
import { MAX_NOTICES } from '../core/limits.js'
import { runLiveCall } from './live-call.js'
import { beginEditing } from './editing.js'
import { SharedContexts } from './shared-contexts.js'
import { MissExplainer } from './miss-explainer.js'
import type { AgentCallRequest, EditBase, EditsPort, JournalPort, ProviderSet, WorkflowMeta, WorkspacePort } from '../core/ports.js'
import { resolveRoute } from './routing.js'
import { UsageSum, type Usage } from '../core/usage.js'
import { type ComponentHashes, ENTRY_VERSION, type EntryEdits, type JournalEntry } from '../core/journal-entry.js'

/** What the calls of one run share with the run. */
export interface CallContext {
  runId: string
  meta: WorkflowMeta
  config: RunConfig
  providers: ProviderSet
  journal: JournalPort
  workspace: WorkspacePort
  budget: Budget
  keyer: CallKeyer
  limiter: Limiter
  /** Aborted when the run stops. */
  signal: AbortSignal
  emit: (event: RunEvent) => void
  now: () => number
  currentPhase: () => string | undefined
  fatal: () => WorkflowError | undefined
  setFatal: (error: WorkflowError) => void
  livePolicy?: (call: { key: string; hash: string }) => string | undefined
  edits?: EditsPort
}

/** A call with everything decided: who answers, its identity and its journal key. */
interface PreparedCall {
  id: number
  key: string
  hash: string
  provider: AgentProvider
  model: string
  identity: CallIdentity
  options: AgentOptions
  label: string
  phase?: string
  line?: number
  /** An editing call's starting tree and place in the landing order. */
  base?: EditBase
}

/**
 * The life of each `agent()` call: check, route, key, then replay from the journal or run
 * live under the limiter and budgets, journal durably, and only then answer the script.
 */
export class AgentCalls {
  readonly usedKeys = new Set<string>()
  readonly #ctx: CallContext
  readonly #explainer: MissExplainer
  readonly #notices = new Set<string>()
  #count = 0
  #inFlight = 0
  readonly #contexts = new SharedContexts()
  readonly #idle: Array<() => void> = []

  constructor(ctx: CallContext) {
    this.#ctx = ctx
    this.#explainer = new MissExplainer(() => ctx.journal.entries())
  }

  async call(request: AgentCallRequest): Promise<unknown> {
    this.#inFlight++
    try {
      const refused = this.#refusal(request.line)
      if (refused) throw refused
      const call = this.#prepare(request)
      const entry = this.#ctx.config.replay ? this.#ctx.journal.get(call.key) : undefined
      if (entry) return this.#replay(call, entry)
      return await this.#runLive(call)
    } finally {
      if (--this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve()
    }
  }

  /** Resolves once no call is in flight (un-awaited calls are paid for: they finish and are journaled). */
  drain(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve))
  }

  /** A stopped run, or one that hit a fatal limit, starts nothing new. */
  #refusal(line: number | undefined): WorkflowError | undefined {
    if (this.#ctx.signal.aborted) return new WorkflowError('STOPPED', 'the run was stopped', { line })
    const fatal = this.#ctx.fatal()
    return fatal ? new WorkflowError(fatal.code, fatal.message, { line }) : undefined
  }

  #prepare(request: AgentCallRequest): PreparedCall {
    const ctx = this.#ctx
    const { line } = request
    const { prompt, options } = checkAgentCall(request.prompt, request.options, line)
    if (this.#count + 1 > ctx.config.maxAgents) {
      const error = new WorkflowError(
        'MAX_AGENTS',
        `this run reached its limit of ${ctx.config.maxAgents} agent calls (max-agents); raise --max-agents if the script really needs more`,
        { line },
      )
      ctx.setFatal(error)
      throw error
    }
    const phase = options.phase ?? ctx.currentPhase()
    const phaseMeta = ctx.meta.phases?.find((p) => p.title === phase)
    const route = resolveRoute(options, phaseMeta, ctx.meta, ctx.config, ctx.providers.defaultProvider, (name) => ctx.providers.get(name)?.defaultModel ?? 'default')
    if (route.notice) this.#noticeOnce(route.notice)
    const provider = ctx.providers.get(route.provider)
    if (!provider) throw new WorkflowError('INVALID_CALL', `agent(): no agent provider named '${route.provider}' is configured for this run`, { line })
    // Only what is set joins the identity: an empty system prompt is no system prompt.
    const identity: CallIdentity = { prompt, provider: provider.name, model: route.model }
    const system = joinSystem(route.system, options.system)
    if (system) identity.system = system
    if (options.schema) identity.schema = options.schema
    if (options.agentType) identity.agentType = options.agentType
    if (route.tools) identity.tools = route.tools
    if (options.cacheKey) identity.cacheKey = options.cacheKey
    if (options.context) identity.context = options.context
    if (options.files) identity.files = this.#hashFiles(options.files, line)
    // Last, as nothing after it can fail: a begun editing call always lands or drops out.
    const base = options.edits ? beginEditing(this.#ctx.edits, provider, identity, options, line) : undefined
    const hash = identityHash(identity)
    const key = ctx.keyer.next(hash)
    const label = options.label ?? defaultLabel(prompt)
    // Numbered only once nothing can fail: ids index the snapshot's agents without gaps.
    const id = ++this.#count
    ctx.emit({ type: 'agent_queued', at: ctx.now(), id, key, label, phase, provider: provider.name, model: route.model, line })
    return { id, key, hash, provider, model: route.model, identity, options, label, phase, line, base }
  }

  #replay(call: PreparedCall, entry: JournalEntry): unknown {
    if (call.base) return this.#landOrFail(call, entry.edits, entry.usage).then(() => this.#replayed(call, entry))
    return this.#replayed(call, entry)
  }

  #replayed(call: PreparedCall, entry: JournalEntry): unknown {
    this.usedKeys.add(call.key)
    this.#ctx.budget.countCompleted(entry.usage)
    this.#ctx.emit({ type: 'agent_replayed', at: this.#ctx.now(), id: call.id, usage: entry.usage, durationMs: entry.durationMs })
    return entry.result
  }

  /** Lands an editing call's changes (in call order); a conflict fails the call, whose answer stays journaled. */
  async #landOrFail(call: PreparedCall, edits: EntryEdits | undefined, usage?: Usage): Promise<void> {
    const ctx = this.#ctx
    if (!edits) return ctx.edits!.drop(call.base!)
    try {
      await ctx.edits!.land(call.base!, edits, { label: call.label, line: call.line })
    } catch (thrown) {
      const error = asWorkflowError(thrown)
      ctx.emit({ type: 'agent_failed', at: ctx.now(), id: call.id, error: { ...error.toInfo(), line: call.line }, ...(usage ? { usage } : {}) })
      throw new WorkflowError(error.code, `agent '${call.label}' failed: ${error.message}`, { line: call.line, cause: error })
    }
  }

  async #runLive(call: PreparedCall): Promise<unknown> {
    const ctx = this.#ctx
    const spent = new UsageSum()
    // Only live calls need these (to explain the miss, and in the journal entry).
    const components = componentHashes(call.identity)
    let started: number | undefined
    let charged = false
    // Until its changes land, an editing call holds up the later ones: it must land or drop out.
    let pendingBase = call.base
    const turn = this.#contexts.turn(call.provider, call.model, call.identity.context)
    try {
      if (turn.wait) await turn.wait
      const deferred = ctx.livePolicy?.({ key: call.key, hash: call.hash })
      if (deferred) throw new WorkflowError('DEFERRED', deferred)
      this.#checkBudget(call)
      const { result, durationMs, edits } = await ctx.limiter(async () => {
        // The breaker may have tripped, or the budget run out, while this call waited for a slot.
        // (Calls admitted before max-agents was reached still run: they were asked for in time.)
        const tripped = ctx.fatal()
        if (tripped && BREAKER_CODES.includes(tripped.code)) throw new WorkflowError(tripped.code, `not started: ${tripped.message}`)
        this.#checkBudget(call)
        started = ctx.now()
        ctx.emit({ type: 'agent_started', at: started, id: call.id, miss: this.#missReason(call, components) })
        return this.#inSlot(call, components, spent, started, () => (charged = true))
      }, ctx.signal)
      if (pendingBase) {
        // Landing waits for the earlier editing calls, so it holds no slot.
        pendingBase = undefined
        await ctx.edits!.land(call.base!, edits!, { label: call.label, line: call.line })
      }
      turn.done?.()
      ctx.budget.countCompleted(result.usage)
      ctx.emit({ type: 'agent_succeeded', at: ctx.now(), id: call.id, usage: result.usage, durationMs, model: result.model })
      return result.value
    } catch (thrown) {
      turn.done?.()
      if (pendingBase) ctx.edits!.drop(pendingBase)
      const error = ctx.signal.aborted ? new WorkflowError('STOPPED', 'the run was stopped') : asWorkflowError(thrown)
      const usage = spent.total()
      const paid = usage.inputTokens + usage.outputTokens > 0
      if (paid && !charged) ctx.budget.charge(usage, call.phase)
      if (isFatal(error.code) && error.code !== 'STOPPED')
        ctx.setFatal(new WorkflowError(error.code, BREAKER_CODES.includes(error.code) ? `${error.message} (agent '${call.label}'); no further agent calls were started, as every one would fail the same way` : error.message, { line: call.line }))
      // The script's error names the call; the event's does not, since every view shows it beside the call.
      const failure = new WorkflowError(error.code, `agent '${call.label}' failed: ${error.message}`, { line: call.line, cause: error })
      ctx.emit({ type: 'agent_failed', at: ctx.now(), id: call.id, error: { ...failure.toInfo(), message: error.message }, ...(paid ? { usage } : {}) })
      throw failure
    }
  }

  /** The part of a live call that holds a slot: its own tree if it edits, the provider, the journal. */
  async #inSlot(call: PreparedCall, components: ComponentHashes, spent: UsageSum, started: number, onCharged: () => void) {
    const ctx = this.#ctx
    const tree = call.base ? await ctx.edits!.isolate(call.base) : undefined
    try {
      const answered = await runLiveCall(
        call.provider,
        withContext(call.provider, { ...call.identity, schema: call.options.schema, identityHash: call.hash, label: call.label, cwd: tree?.dir }),
        { timeoutMs: call.options.timeoutMs ?? ctx.config.agentTimeoutMs, idleTimeoutMs: ctx.config.idleTimeoutMs, retries: call.options.retries ?? ctx.config.retries, retryBaseMs: ctx.config.retryBaseMs },
        ctx.signal,
        spent,
        (attempt, error, delayMs) => ctx.emit({ type: 'agent_retrying', at: ctx.now(), id: call.id, attempt, error: error.toInfo(), delayMs }),
      )
      const took = ctx.now() - started
      ctx.budget.charge(answered.usage, call.phase)
      onCharged()
      // (No await without a tree: an extra turn would reorder concurrent calls' events.)
      const edits = tree ? await tree.capture() : undefined
      // Journaled before the slot is freed: a kill -9 can only ever lose the answers of the
      // `concurrency` calls in flight, never a backlog of paid answers waiting for the disk.
      await this.#journal(call, components, answered.value, answered.usage, answered.model, took, edits)
      return { result: answered, durationMs: took, edits }
    } finally {
      if (tree) await tree.remove()
    }
  }

  #checkBudget(call: PreparedCall): void {
    const refusal = this.#ctx.budget.refusal(call.phase)
    if (refusal) throw new WorkflowError('BUDGET_EXHAUSTED', `${refusal}; no new agent calls were started`, { line: call.line })
  }

  async #journal(call: PreparedCall, components: ComponentHashes, result: unknown, usage: Usage, model: string, durationMs: number, edits: EntryEdits | undefined): Promise<void> {
    const ctx = this.#ctx
    const entry: JournalEntry = {
      v: ENTRY_VERSION,
      key: call.key,
      hash: call.hash,
      components,
      result,
      usage,
      provider: call.provider.name,
      model,
      label: call.label,
      phase: call.phase,
      line: call.line,
      durationMs,
      finishedAt: new Date(ctx.now()).toISOString(),
      runId: ctx.runId,
      ...(edits ? { edits } : {}),
    }
    this.usedKeys.add(call.key)
    try {
      await ctx.journal.append(entry)
    } catch (error) {
      // The answer is still good; only its replay is at risk. Say so rather than fail the run.
      ctx.emit({ type: 'warning', at: ctx.now(), message: `could not write the journal entry of agent '${call.label}': ${(error as Error).message}` })
    }
  }

  #missReason(call: PreparedCall, components: ComponentHashes): MissReason {
    if (!this.#ctx.config.replay) return { kind: 'replay-disabled' }
    return this.#explainer.explain({ label: call.label, line: call.line, components }, this.usedKeys)
  }

  #hashFiles(patterns: string[], line: number | undefined): Record<string, string> {
    try {
      return this.#ctx.workspace.hashFiles(patterns)
    } catch (error) {
      throw new WorkflowError('INVALID_CALL', `agent(): option 'files': ${(error as Error).message}`, { line })
    }
  }

  /** Each notice once, and a bounded number of them: a script can make one per call (a tier name per item). */
  #noticeOnce(message: string): void {
    if (this.#notices.has(message) || this.#notices.size > MAX_NOTICES) return
    this.#notices.add(message)
    const shown = this.#notices.size > MAX_NOTICES ? `more than ${MAX_NOTICES} routing notices; further ones are not shown` : message
    this.#ctx.emit({ type: 'warning', at: this.#ctx.now(), message: shown })
  }
}

/** A provider that does not cache context apart gets it first in the prompt (which caches prefixes best). */
function withContext<T extends { prompt: string; context?: string }>(provider: AgentProvider, request: T): T {
  if (request.context === undefined || provider.cachesContext) return request
  const { context, ...rest } = request
  return { ...rest, prompt: `${context}\n\n${request.prompt}` } as T
}

/** The type's system prompt, then the call's own. */
function joinSystem(typeSystem: string | undefined, callSystem: string | undefined): string | undefined {
  if (typeSystem && callSystem) return `${typeSystem}\n\n${callSystem}`
  return typeSystem || callSystem || undefined
}

/** The first line of the prompt, shortened: labels are for people, never for identity. */
function defaultLabel(prompt: string): string {
  const text = prompt.trimStart()
  const end = text.indexOf('\n')
  const first = (end < 0 ? text : text.slice(0, end)).trim()
  return first.length > 48 ? first.slice(0, 47) + '…' : first
}
