import type { StickyComment, UpsertResult } from './sticky-comment.js'

/**
 * Live updates of a sticky comment while the run goes on: at most one write in flight, the
 * newest body wins (older ones are never sent), at most one write per `intervalMs`, and a
 * body that arrives inside the interval is written when it ends. Bodies may be functions,
 * rendered only when a write happens (a 10,000-agent snapshot is not rendered per event).
 * `final` drops what is pending, waits for the write in flight, and then always writes.
 */
export class LiveComment {
  #pending: (() => string) | undefined
  #writing: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #last = -Infinity
  #closed = false

  constructor(
    private readonly comment: StickyComment,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  update(body: string | (() => string)): void {
    if (this.#closed) return
    this.#pending = typeof body === 'string' ? () => body : body
    this.#schedule()
  }

  async final(body: string): Promise<UpsertResult> {
    this.#closed = true
    this.#pending = undefined
    clearTimeout(this.#timer)
    while (this.#writing) await this.#writing
    return this.comment.upsert(body)
  }

  #schedule(): void {
    if (this.#writing || this.#timer || this.#pending === undefined) return
    const wait = this.#last + this.intervalMs - this.now()
    // A render that throws must not become an unhandled rejection; the final write still lands.
    if (wait <= 0) this.#writing = this.#write().catch(() => {})
    else
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.#schedule()
      }, wait).unref()
  }

  async #write(): Promise<void> {
    const render = this.#pending!
    this.#pending = undefined
    this.#last = this.now()
    try {
      await this.comment.upsert(render())
    } finally {
      this.#writing = undefined
      this.#schedule()
    }
  }
}
