import { withoutUndefined } from '../util/objects.js'
import { WorkflowError } from '../core/errors.js'
import { SETTINGS } from '../core/settings.js'
import type { AgentTypeConfig, ModelRoute } from '../core/ports.js'

/** Everything fixed at run start. One immutable value instead of a dozen loose fields. */
export interface RunConfig {
  readonly concurrency: number
  readonly maxAgents: number
  /** Wall-clock limit per attempt; none when undefined. */
  readonly agentTimeoutMs?: number
  /** Kill an attempt that produces no output for this long (hang detection). */
  readonly idleTimeoutMs?: number
  /** Extra attempts after a transient failure. */
  readonly retries: number
  /** First backoff delay; doubles per attempt unless the provider says `retry-after`. */
  readonly retryBaseMs: number
  readonly tokenBudget?: number
  readonly costBudgetUsd?: number
  /** False: run every call live (results are still journaled). */
  readonly replay: boolean
  /** Default model when neither the call, its type, tier or phase chooses one (`--model`). */
  readonly model?: string
  readonly tiers: Readonly<Record<string, ModelRoute>>
  readonly agentTypes: Readonly<Record<string, AgentTypeConfig>>
}

/** The settings table's defaults (src/core/settings.ts), the one place they are written. */
export const DEFAULT_CONFIG: RunConfig = Object.freeze({
  concurrency: SETTINGS.concurrency.default,
  maxAgents: SETTINGS.maxAgents.default,
  retries: SETTINGS.agentRetries.default,
  retryBaseMs: 1000,
  replay: SETTINGS.replay.default,
  tiers: {},
  agentTypes: {},
})

/** Defaults filled in and every number checked; the message names the setting. */
export function resolveConfig(partial: Partial<RunConfig> = {}): RunConfig {
  const config = { ...DEFAULT_CONFIG, ...withoutUndefined(partial) }
  positiveInteger('concurrency', config.concurrency)
  positiveInteger('maxAgents', config.maxAgents)
  nonNegativeInteger('retries', config.retries)
  nonNegative('retryBaseMs', config.retryBaseMs)
  for (const name of ['agentTimeoutMs', 'idleTimeoutMs', 'tokenBudget', 'costBudgetUsd'] as const)
    if (config[name] !== undefined && !(typeof config[name] === 'number' && config[name]! > 0))
      throw new WorkflowError('INVALID_CALL', `${name} must be a positive number, got ${String(config[name])}`)
  return Object.freeze(config)
}

function positiveInteger(name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) throw new WorkflowError('INVALID_CALL', `${name} must be an integer from 1 and up, got ${String(value)}`)
}

function nonNegativeInteger(name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 0) throw new WorkflowError('INVALID_CALL', `${name} must be an integer from 0 and up, got ${String(value)}`)
}

function nonNegative(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0)) throw new WorkflowError('INVALID_CALL', `${name} must be a number from 0 and up, got ${String(value)}`)
}
