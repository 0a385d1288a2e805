/**
 * A concurrency limiter in the manner of p-limit: state lives in the closure, counts are
 * visible for the snapshot, and a failing task never stalls the queue.
 */
export interface Limiter {
  /** Runs `task` when a slot is free; `signal` drops it from the queue if aborted first. */
  <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>
  readonly activeCount: number
  readonly pendingCount: number
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError('Expected `concurrency` to be an integer from 1 and up')
  const queue: Array<() => void> = []
  let active = 0

  const next = () => {
    active--
    queue.shift()?.()
  }

  const limit = <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort)
        active++
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(next)
      }
      const onAbort = () => {
        const at = queue.indexOf(start)
        if (at >= 0) queue.splice(at, 1)
        reject(signal?.reason)
      }
      if (signal?.aborted) return reject(signal.reason)
      if (active < concurrency) return start()
      signal?.addEventListener('abort', onAbort, { once: true })
      queue.push(start)
    })

  Object.defineProperties(limit, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length },
  })
  return limit as Limiter
}
