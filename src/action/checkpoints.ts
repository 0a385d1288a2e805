import type { RunEvent } from '../core/events.js'
import type { JournalCache } from './journal-cache.js'

/**
 * Decides when to save the journal during a run: when new entries exist and the interval has
 * passed, and at each phase end; never two saves at once. A hard crash of the runner then
 * loses at most one interval of work.
 */
export class Checkpoints {
  #journaled = 0
  #saved = 0
  #lastSave: number
  #timer: NodeJS.Timeout | undefined

  constructor(
    private readonly cache: JournalCache,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#lastSave = now()
  }

  /** Feed every run event here. */
  onEvent(event: RunEvent): void {
    if (event.type === 'agent_succeeded') {
      this.#journaled++
      this.#schedule()
    } else if (event.type === 'phase_started') this.#checkpoint('phase end')
  }

  /** The last save, after the run: everything journaled so far, whatever the interval. */
  async final(): Promise<boolean> {
    clearTimeout(this.#timer)
    return this.#save('final')
  }

  #schedule(): void {
    if (this.#timer) return
    const wait = Math.max(0, this.#lastSave + this.intervalMs - this.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#checkpoint('checkpoint')
    }, wait)
    this.#timer.unref()
  }

  #checkpoint(reason: string): void {
    if (this.#journaled === this.#saved || this.cache.busy) return
    void this.#save(reason)
  }

  async #save(reason: string): Promise<boolean> {
    const count = this.#journaled
    this.#lastSave = this.now()
    const ok = await this.cache.save(reason)
    if (ok) this.#saved = Math.max(this.#saved, count)
    if (this.#journaled > this.#saved && reason !== 'final') this.#schedule()
    return ok
  }
}
