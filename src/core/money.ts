/**
 * USD per million tokens, from the providers' published price lists. A model that is not
 * listed has an unknown price: cost is reported as unknown, never guessed.
 */
export interface ModelPrice {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
}

/** Matched by longest prefix, so dated snapshots (claude-sonnet-4-5-20250929) find their family. */
const PRICES: Record<string, ModelPrice> = {
  // Anthropic (https://docs.anthropic.com/en/docs/about-claude/pricing)
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  // OpenAI (https://openai.com/api/pricing)
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
}

/** The mock agent is priced as a mid-size model, so examples show real-looking, non-zero costs. */
export const MID_SIZE_PRICE: ModelPrice = { input: 3, output: 15 }

export function priceOf(model: string): ModelPrice | undefined {
  let best: string | undefined
  for (const prefix of Object.keys(PRICES))
    if ((model === prefix || model.startsWith(prefix + '-')) && (!best || prefix.length > best.length)) best = prefix
  return best ? PRICES[best] : undefined
}

export interface TokenCounts {
  inputTokens: number
  outputTokens: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
}

/** USD for the given usage at a price; cache tokens fall back to the input price when unlisted. */
export function costAt(price: ModelPrice, usage: TokenCounts): number {
  const perToken =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    (usage.cacheReadTokens ?? 0) * (price.cacheRead ?? price.input) +
    (usage.cacheWriteTokens ?? 0) * (price.cacheWrite ?? price.input)
  return roundUsd(perToken / 1_000_000)
}

/** USD for usage of `model`, or null when the model's price is unknown. */
export function costOf(model: string, usage: TokenCounts): number | null {
  const price = priceOf(model)
  return price ? costAt(price, usage) : null
}

/** What the cache reads of `usage` saved against paying them as input; 0 when the price is unknown. */
export function cacheSavingOf(model: string, usage: TokenCounts): number {
  const price = priceOf(model)
  const read = usage.cacheReadTokens ?? 0
  if (!price || read === 0) return 0
  return roundUsd((read * (price.input - (price.cacheRead ?? price.input))) / 1_000_000)
}

/** Rounds to a millionth of a dollar so sums stay stable in JSON. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
