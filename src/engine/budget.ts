import { roundUsd } from '../core/money.js'
import type { BudgetView } from '../core/ports.js'
import { type Usage } from '../core/usage.js'

/**
 * Hard token and dollar budgets. A live call may start only while nothing is exhausted;
 * calls already in flight finish (they are paid for) and are journaled. Replays cost nothing.
 *
 * What the script reads (`budget.spent()`) is another count: the usage of every completed
 * call, a replayed one at its journaled usage. A replay must see the numbers the run it
 * replays saw, or a prompt that mentions them would change and run live every other time.
 */
export class Budget {
  #tokens = 0
  #usd = 0
  #completedTokens = 0
  #completedUsd = 0
  readonly #phaseLimits = new Map<string, number>()
  readonly #phaseTokens = new Map<string, number>()

  constructor(readonly limits: { tokens?: number; costUsd?: number }) {}

  /** Sets a token budget for the live calls of one phase (`phase(title, {budget})`). */
  limitPhase(title: string, tokens: number): void {
    this.#phaseLimits.set(title, tokens)
  }

  charge(usage: Usage, phase?: string): void {
    const tokens = usage.inputTokens + usage.outputTokens
    this.#tokens += tokens
    this.#usd = roundUsd(this.#usd + (usage.costUsd ?? 0))
    if (phase !== undefined) this.#phaseTokens.set(phase, (this.#phaseTokens.get(phase) ?? 0) + tokens)
  }

  /** A call whose answer the script receives: live (after `charge`) or replayed (its journaled usage). */
  countCompleted(usage: Usage): void {
    this.#completedTokens += usage.inputTokens + usage.outputTokens
    this.#completedUsd = roundUsd(this.#completedUsd + (usage.costUsd ?? 0))
  }

  /** Why a new live call may not start (spent vs limit), or undefined when it may. */
  refusal(phase?: string): string | undefined {
    const { tokens, costUsd } = this.limits
    if (tokens !== undefined && this.#tokens >= tokens) return `token budget exhausted: spent ${fmt(this.#tokens)} of ${fmt(tokens)} tokens`
    if (costUsd !== undefined && this.#usd >= costUsd) return `cost budget exhausted: spent $${this.#usd.toFixed(4)} of $${costUsd.toFixed(4)}`
    const phaseLimit = phase === undefined ? undefined : this.#phaseLimits.get(phase)
    const phaseSpent = phase === undefined ? 0 : (this.#phaseTokens.get(phase) ?? 0)
    if (phaseLimit !== undefined && phaseSpent >= phaseLimit)
      return `token budget of phase '${phase}' exhausted: spent ${fmt(phaseSpent)} of ${fmt(phaseLimit)} tokens`
    return undefined
  }

  /** What the script reads: the same in a replay as in the run it replays. */
  view(): BudgetView {
    const total = this.limits.tokens ?? null
    return {
      total,
      spent: this.#completedTokens,
      remaining: total === null ? null : Math.max(0, total - this.#completedTokens),
      totalUsd: this.limits.costUsd ?? null,
      spentUsd: this.#completedUsd,
    }
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
