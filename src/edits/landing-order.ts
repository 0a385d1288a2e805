/**
 * Tickets in the order the script made its editing calls; each call lands (or drops out) in
 * that order, whatever order they finish in. So the final folder, and the tree every later
 * call starts from, do not depend on which agent was faster.
 */
export class LandingOrder {
  #issued = 0
  /** Every ticket up to this one has landed or dropped out. */
  #done = 0
  readonly #finished = new Set<number>()
  readonly #waiting = new Map<number, () => void>()

  issue(): number {
    return ++this.#issued
  }

  /** Resolves when every earlier ticket is done. */
  turn(ticket: number): Promise<void> {
    if (ticket === this.#done + 1) return Promise.resolve()
    return new Promise((resolve) => this.#waiting.set(ticket, resolve))
  }

  /** Marks a ticket done (landed or dropped), in any order; wakes the next one whose turn it now is. */
  finish(ticket: number): void {
    this.#finished.add(ticket)
    while (this.#finished.delete(this.#done + 1)) this.#done++
    const next = this.#waiting.get(this.#done + 1)
    if (next) {
      this.#waiting.delete(this.#done + 1)
      next()
    }
  }
}
