import { cacheSavingOf, costOf, roundUsd } from './money.js'
import type { AgentResponse } from './provider.js'

/** Tokens and dollars of one call. `costUsd` is null when the price is unknown (never invented). */
export interface Usage {
  inputTokens: number
  outputTokens: number
  costUsd: number | null
  /** What reading the provider's prompt cache saved against paying those tokens as input (absent when nothing). */
  cacheSavedUsd?: number
}

/** Adds up the usage of the responses one call needed; cost is null once any price is unknown. */
export class UsageSum {
  #input = 0
  #output = 0
  #cost: number | null = 0
  #cacheSaved = 0

  add(response: AgentResponse, requestedModel: string): void {
    const u = response.usage
    this.#input += u.inputTokens + (u.cacheReadTokens ?? 0) + (u.cacheWriteTokens ?? 0)
    this.#output += u.outputTokens
    const cost = u.costUsd ?? costOf(response.model || requestedModel, u)
    this.#cost = cost === null || this.#cost === null ? null : roundUsd(this.#cost + cost)
    this.#cacheSaved = roundUsd(this.#cacheSaved + cacheSavingOf(response.model || requestedModel, u))
  }

  total(): Usage {
    return { inputTokens: this.#input, outputTokens: this.#output, costUsd: this.#cost, ...(this.#cacheSaved > 0 ? { cacheSavedUsd: this.#cacheSaved } : {}) }
  }
}

/**
 * Rough tokens of a text when a provider reports none: ceil(characters / 4). The mock agent
 * charges this by contract (DESIGN.md), and a program that prints no usage is charged it.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}
