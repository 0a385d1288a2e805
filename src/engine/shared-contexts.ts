import type { AgentProvider } from '../core/provider.js'
import { sha256 } from '../util/canonical-json.js'

/**
 * Calls that share a context (a diff sent to many reviewers) would each write it to the
 * provider's prompt cache if they all started at once. The first live call of a context runs
 * ahead, and the others start once it has ended, so they read the cache instead. A waiting
 * call holds no concurrency slot.
 */
export class SharedContexts {
  /** Per provider, model and context (hashed), the end of its first live call. */
  readonly #leaders = new Map<string, Promise<void>>()

  /** What a live call waits for before it starts (`wait`), or what it must call when it ends (`done`, the first call). */
  turn(provider: AgentProvider, model: string, context: string | undefined): { wait?: Promise<void>; done?: () => void } {
    if (context === undefined || !provider.cachesContext) return {}
    const key = sha256(`${provider.name}\n${model}\n${context}`)
    const leader = this.#leaders.get(key)
    if (leader) return { wait: leader }
    let done!: () => void
    this.#leaders.set(key, new Promise<void>((resolve) => (done = resolve)))
    return { done }
  }
}
