import { MID_SIZE_PRICE, costAt } from '../core/money.js'
import { sampleFromSchema } from './schema-sample.js'
import { WorkflowError } from '../core/errors.js'
import { sleep } from '../util/sleep.js'
import type { AgentProvider, AgentRequest, AgentResponse } from '../core/provider.js'
import { estimateTokens } from '../core/usage.js'

export interface MockOptions {
  /** Delay per call (DWF_MOCK_LATENCY_MS). */
  latencyMs?: number
  /** Calls whose prompt matches fail with a provider error (DWF_MOCK_FAIL). */
  failPattern?: RegExp
}

/**
 * The offline agent: its answer is a function of the call identity only (same call, same
 * answer), schema-valid when a schema is given, with usage of ceil(chars / 4) tokens each way
 * priced as a mid-size model. Examples, tests and benchmarks rely on this contract.
 */
export function createMockProvider(options: MockOptions = {}): AgentProvider {
  const latencyMs = options.latencyMs ?? 0
  return {
    name: 'mock',
    canEdit: true,
    defaultModel: 'mock',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      if (latencyMs > 0) await sleep(latencyMs, signal)
      if (signal.aborted) throw signal.reason
      if (options.failPattern?.test(request.prompt))
        throw new WorkflowError('PROVIDER', `mock provider error: the prompt matches DWF_MOCK_FAIL (${options.failPattern.source})`)
      const json = request.schema ? sampleFromSchema(request.schema, request.identityHash) : undefined
      const text = json === undefined ? mockText(request) : JSON.stringify(json)
      request.onActivity?.()
      const usage = { inputTokens: estimateTokens(request.prompt), outputTokens: estimateTokens(text) }
      return { text, json, usage: { ...usage, costUsd: costAt(MID_SIZE_PRICE, usage) }, model: request.model }
    },
  }
}

/** Reads the mock's settings from the environment variables of the contract. */
export function mockOptionsFromEnv(env: NodeJS.ProcessEnv): MockOptions {
  const latency = Number(env.DWF_MOCK_LATENCY_MS ?? 0)
  const fail = env.DWF_MOCK_FAIL
  let failPattern: RegExp | undefined
  if (fail) {
    try {
      failPattern = new RegExp(fail)
    } catch (error) {
      throw new WorkflowError('INVALID_CALL', `DWF_MOCK_FAIL is not a valid regular expression: ${(error as Error).message}`)
    }
  }
  return { latencyMs: Number.isFinite(latency) && latency > 0 ? latency : 0, failPattern }
}

function mockText(request: AgentRequest): string {
  const firstLine = request.prompt.trim().split('\n')[0] ?? ''
  const topic = firstLine.length > 80 ? firstLine.slice(0, 77) + '...' : firstLine
  return `Mock answer ${request.identityHash.slice(0, 8)} from ${request.model} to: ${topic}`
}
