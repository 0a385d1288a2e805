import { performance } from 'node:perf_hooks'

/**
 * Counts the time the guest runs synchronously, across every entry into QuickJS. Time spent
 * waiting for agents is outside any entry, so a slow agent never trips the limit; an
 * endless loop does. QuickJS asks `exceeded()` from its interrupt handler.
 */
export class CpuMeter {
  #usedMs = 0
  #since = 0
  #depth = 0
  #tripped = false

  constructor(readonly limitMs: number) {}

  enter(): void {
    if (this.#depth++ === 0) this.#since = performance.now()
  }

  leave(): void {
    if (--this.#depth === 0) this.#usedMs += performance.now() - this.#since
  }

  /** True once the limit is passed; stays true so the guest cannot resume. */
  exceeded(): boolean {
    if (!this.#tripped && this.#depth > 0 && this.#usedMs + (performance.now() - this.#since) > this.limitMs) this.#tripped = true
    return this.#tripped
  }

  get tripped(): boolean {
    return this.#tripped
  }
}
