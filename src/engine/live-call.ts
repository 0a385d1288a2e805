import { extractJson } from '../structured/extract-json.js'
import { schemaErrors } from '../structured/schema.js'
import type { AgentProvider, AgentRequest, AgentResponse } from '../core/provider.js'
import { MAX_JSON_DEPTH, tooDeep } from '../util/json-depth.js'
import { type UsageSum, type Usage } from '../core/usage.js'
import { asWorkflowError, WorkflowError } from '../core/errors.js'
import { clipWithNote, MAX_ERROR_MESSAGE_CHARS, MAX_NAME_CHARS } from '../core/limits.js'
import { sleep } from '../util/sleep.js'

export interface LiveCallSettings {
  timeoutMs?: number
  idleTimeoutMs?: number
  retries: number
  retryBaseMs: number
}

export interface LiveCallResult {
  value: unknown
  /** Summed over every response this call needed (repairs included). */
  usage: Usage
  model: string
}

/** Re-asks after output that fails the schema, before giving up with SCHEMA_NONCOMPLIANCE. */
export const MAX_SCHEMA_REPAIRS = 2
const MAX_BACKOFF_MS = 60_000

/**
 * One live call: attempts with a wall-clock and an idle timeout, retries with backoff for
 * transient errors only (honouring retry-after), schema validation with bounded repair.
 * `spent` collects the usage of every response, so a call that fails still reports its cost.
 */
export async function runLiveCall(
  provider: AgentProvider,
  request: AgentRequest,
  settings: LiveCallSettings,
  signal: AbortSignal,
  spent: UsageSum,
  onRetry: (attempt: number, error: WorkflowError, delayMs: number) => void,
): Promise<LiveCallResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await askValidated(provider, request, settings, signal, spent)
    } catch (thrown) {
      const error = asCallError(thrown, signal)
      if (!error.transient || attempt > settings.retries || signal.aborted) throw error
      const delayMs = Math.min(error.retryAfterMs ?? settings.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS)
      onRetry(attempt, error, delayMs)
      await sleep(delayMs, signal).catch(() => {
        throw new WorkflowError('STOPPED', 'the run was stopped')
      })
    }
  }
}

async function askValidated(provider: AgentProvider, request: AgentRequest, settings: LiveCallSettings, signal: AbortSignal, spent: UsageSum): Promise<LiveCallResult> {
  let response = await attempt(provider, request, settings, signal)
  spent.add(response, request.model)
  // An agent names its own model: it is written to every view and the journal, so it is clipped like a script's names.
  const model = (answered: AgentResponse) => answered.model.slice(0, MAX_NAME_CHARS)
  if (!request.schema) {
    if (response.text.trim() === '') throw new WorkflowError('EMPTY_OUTPUT', `the agent returned no output`, { transient: true })
    return { value: response.text, usage: spent.total(), model: model(response) }
  }
  for (let repair = 0; ; repair++) {
    const value = response.json !== undefined ? response.json : extractJson(response.text)
    // Before ajv, the journal line and the sandbox, which all recurse: a paid answer they cannot take fails here, by name, with its cost counted.
    if (tooDeep(value)) throw tooDeepAnswer(spent.total())
    const errors = value === undefined ? ['the answer contains no JSON value'] : schemaErrors(request.schema, value)
    if (errors.length === 0) return { value, usage: spent.total(), model: model(response) }
    if (repair >= MAX_SCHEMA_REPAIRS)
      throw new WorkflowError('SCHEMA_NONCOMPLIANCE', `the answer did not match the schema after ${MAX_SCHEMA_REPAIRS} repair attempts: ${errors.slice(0, 3).join('; ')}`)
    response = await attempt(provider, { ...request, repair: { output: response.text, errors } }, settings, signal)
    spent.add(response, request.model)
  }
}

/** One provider call under the run's signal, a wall-clock timeout and an idle timeout. */
async function attempt(provider: AgentProvider, request: AgentRequest, settings: LiveCallSettings, runSignal: AbortSignal): Promise<AgentResponse> {
  // A stopped run starts nothing more, not even a schema repair of an answer it already has.
  if (runSignal.aborted) throw new WorkflowError('STOPPED', 'the run was stopped while this agent was running')
  const controller = new AbortController()
  const abort = () => controller.abort(runSignal.reason)
  runSignal.addEventListener('abort', abort, { once: true })
  const timers: NodeJS.Timeout[] = []
  let timedOut: WorkflowError | undefined
  const expire = (error: WorkflowError) => {
    timedOut = error
    controller.abort(error)
  }
  if (settings.timeoutMs !== undefined)
    timers.push(setTimeout(() => expire(new WorkflowError('TIMEOUT', `the agent did not finish within ${seconds(settings.timeoutMs!)}`)), settings.timeoutMs))
  let idle: NodeJS.Timeout | undefined
  const armIdle = () => {
    if (settings.idleTimeoutMs === undefined) return
    clearTimeout(idle)
    idle = setTimeout(() => expire(new WorkflowError('TIMEOUT', `the agent produced no output for ${seconds(settings.idleTimeoutMs!)} and was stopped (hung?)`)), settings.idleTimeoutMs)
  }
  armIdle()
  try {
    return await provider.run({ ...request, onActivity: armIdle }, controller.signal)
  } catch (error) {
    throw timedOut ?? error
  } finally {
    timers.forEach(clearTimeout)
    clearTimeout(idle)
    runSignal.removeEventListener('abort', abort)
  }
}

/** The error of an answer nested too deeply to be used, journaled or handed to the script. */
function tooDeepAnswer(usage: Usage): WorkflowError {
  const tokens = (usage.inputTokens + usage.outputTokens).toLocaleString('en-US')
  return new WorkflowError(
    'PROVIDER',
    `the answer nests more than ${MAX_JSON_DEPTH} levels deep, the limit for JSON answers, so it can be neither used nor journaled; ` +
      `its ${tokens} tokens count toward the run's spending. Ask for a flatter structure in the schema or the prompt`,
  )
}

/**
 * Any thrown value as a WorkflowError; a stop of the run always reads as STOPPED. A provider's
 * message (an error page, a server's body) is clipped: each attempt writes it to an event.
 */
function asCallError(error: unknown, signal: AbortSignal): WorkflowError {
  if (signal.aborted) return new WorkflowError('STOPPED', 'the run was stopped while this agent was running')
  const known = asWorkflowError(error)
  if (known.message.length <= MAX_ERROR_MESSAGE_CHARS) return known
  return new WorkflowError(known.code, clipWithNote(known.message, MAX_ERROR_MESSAGE_CHARS), { transient: known.transient, retryAfterMs: known.retryAfterMs, cause: known })
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`
}
