import { parse as parseYaml } from 'yaml'
import { durationMs } from '../util/duration.js'
import { NESTS_TOO_DEEP, tooDeep } from '../util/json-depth.js'

/** Input names, once: action.yml, the code and the tests use these. */
export const Inputs = {
  script: 'script',
  args: 'args',
  agent: 'agent',
  model: 'model',
  command: 'command',
  config: 'config',
  concurrency: 'concurrency',
  maxAgents: 'max-agents',
  agentTimeout: 'agent-timeout',
  idleTimeout: 'idle-timeout',
  agentRetries: 'agent-retries',
  tokenBudget: 'token-budget',
  costBudget: 'cost-budget',
  cache: 'cache',
  cacheKey: 'cache-key',
  checkpointInterval: 'checkpoint-interval',
  artifact: 'artifact',
  comment: 'comment',
  commentInterval: 'comment-interval',
  prNumber: 'pr-number',
  githubToken: 'github-token',
  workingDirectory: 'working-directory',
} as const

export const Outputs = {
  status: 'status',
  result: 'result',
  runId: 'run-id',
  agentsTotal: 'agents-total',
  agentsLive: 'agents-live',
  agentsReplayed: 'agents-replayed',
  agentsFailed: 'agents-failed',
  tokens: 'tokens',
  costUsd: 'cost-usd',
  savedCostUsd: 'saved-cost-usd',
} as const

export type CommentMode = 'auto' | 'always' | 'never'

/** Every input, parsed and checked once; the rest of the Action never reads an input. */
export interface ActionInputs {
  script: string
  args: unknown
  agent: string
  model?: string
  command?: string
  config?: string
  concurrency: number
  maxAgents: number
  agentTimeoutMs?: number
  idleTimeoutMs?: number
  agentRetries: number
  tokenBudget?: number
  costBudgetUsd?: number
  cache: boolean
  cacheKey?: string
  checkpointIntervalMs: number
  artifact: boolean
  comment: CommentMode
  /** Least time between live edits of the PR comment. */
  commentIntervalMs: number
  prNumber?: number
  githubToken?: string
  workingDirectory: string
}

/** A bad input: the message names the input, the Action fails with it before anything runs. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`input '${input}': ${message}`)
    this.name = 'InputError'
  }
}

/** Reads one input; '' means not given (the runner passes unset inputs as empty strings). */
export type GetInput = (name: string) => string

/** Parses every input. Defaults are action.yml's, repeated here for callers that skip the runner. */
export function readInputs(get: GetInput): ActionInputs {
  const text = (name: string) => get(name).trim() || undefined
  const script = text(Inputs.script)
  if (!script) throw new InputError(Inputs.script, 'is required: the path of the workflow script, e.g. .github/workflows/review.workflow.js')
  return {
    script,
    args: parseArgs(get(Inputs.args)),
    agent: text(Inputs.agent) ?? 'auto',
    model: text(Inputs.model),
    command: text(Inputs.command),
    config: text(Inputs.config),
    concurrency: integer(Inputs.concurrency, text(Inputs.concurrency), 4, 1),
    maxAgents: integer(Inputs.maxAgents, text(Inputs.maxAgents), 1000, 1),
    agentTimeoutMs: duration(Inputs.agentTimeout, text(Inputs.agentTimeout)),
    idleTimeoutMs: duration(Inputs.idleTimeout, text(Inputs.idleTimeout)),
    agentRetries: integer(Inputs.agentRetries, text(Inputs.agentRetries), 2, 0),
    tokenBudget: optionalInteger(Inputs.tokenBudget, text(Inputs.tokenBudget)),
    costBudgetUsd: positive(Inputs.costBudget, text(Inputs.costBudget)),
    cache: boolean(Inputs.cache, text(Inputs.cache), true),
    cacheKey: text(Inputs.cacheKey),
    checkpointIntervalMs: integer(Inputs.checkpointInterval, text(Inputs.checkpointInterval), 30, 1) * 1000,
    artifact: boolean(Inputs.artifact, text(Inputs.artifact), true),
    comment: commentMode(text(Inputs.comment)),
    commentIntervalMs: integer(Inputs.commentInterval, text(Inputs.commentInterval), 10, 1) * 1000,
    prNumber: optionalInteger(Inputs.prNumber, text(Inputs.prNumber)),
    githubToken: text(Inputs.githubToken),
    workingDirectory: text(Inputs.workingDirectory) ?? '.',
  }
}

/** `args`: JSON or YAML (a YAML block in the workflow file is the natural way to write it), nested at most MAX_JSON_DEPTH levels. */
function parseArgs(raw: string): unknown {
  if (raw.trim() === '') return {}
  const tooDeepError = new InputError(Inputs.args, NESTS_TOO_DEEP)
  let args: unknown
  try {
    args = JSON.parse(raw)
  } catch {
    try {
      args = parseYaml(raw) ?? {}
    } catch (error) {
      // The YAML parser stops itself when the nesting outgrows its stack: the same limit, by name.
      if (/call stack/i.test((error as Error).message)) throw tooDeepError
      throw new InputError(Inputs.args, `is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  if (tooDeep(args)) throw tooDeepError
  return args
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InputError(name, `must be a whole number from ${min} up, got '${value}'`)
  return Number(value)
}

function optionalInteger(name: string, value: string | undefined): number | undefined {
  return value === undefined ? undefined : integer(name, value, 0, 1)
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.replace(/^\$/, ''))
  if (!Number.isFinite(n) || n <= 0) throw new InputError(name, `must be a positive number, got '${value}'`)
  return n
}

function duration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = durationMs(value)
  if (ms === undefined) throw new InputError(name, `must be a duration like 90s, 10m or 1h, got '${value}'`)
  return ms
}

function boolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (/^(true|yes|on|1)$/i.test(value)) return true
  if (/^(false|no|off|0)$/i.test(value)) return false
  throw new InputError(name, `must be true or false, got '${value}'`)
}

function commentMode(value: string | undefined): CommentMode {
  if (value === undefined) return 'auto'
  if (value === 'auto' || value === 'always' || value === 'never') return value
  throw new InputError(Inputs.comment, `must be auto, always or never, got '${value}'`)
}
