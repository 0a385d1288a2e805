import { describe, expect, it } from '@jest/globals'
import { createLimiter } from '../../src/engine/limiter.js'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (reason: unknown) => void
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets every queued microtask (and the chains they start) run: a macrotask comes after them all. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

describe('createLimiter', () => {
  it('never runs more tasks at once than the concurrency, and runs them all', async () => {
    const limit = createLimiter(3)
    const gates = Array.from({ length: 10 }, () => deferred())
    let active = 0
    let maxActive = 0
    const done: number[] = []
    const all = gates.map((gate, i) =>
      limit(async () => {
        active++
        maxActive = Math.max(maxActive, active)
        await gate.promise
        active--
        done.push(i)
        return i
      }),
    )
    await flush()
    expect(active).toBe(3)
    // Release in a scrambled order, one at a time, checking the bound after each step.
    for (const i of [2, 0, 1, 5, 3, 4, 9, 6, 8, 7]) {
      gates[i]!.resolve()
      await flush()
      expect(active).toBeLessThanOrEqual(3)
    }
    await expect(Promise.all(all)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(maxActive).toBe(3)
    expect(done).toHaveLength(10)
  })

  it('starts queued tasks in the order they were submitted (FIFO)', async () => {
    const limit = createLimiter(1)
    const started: number[] = []
    const gates = Array.from({ length: 5 }, () => deferred())
    const all = gates.map((gate, i) =>
      limit(async () => {
        started.push(i)
        await gate.promise
      }),
    )
    await flush()
    expect(started).toEqual([0])
    // Releasing the running task lets exactly the oldest waiting one start.
    for (let i = 0; i < 5; i++) {
      gates[i]!.resolve()
      await flush()
      expect(started).toEqual([0, 1, 2, 3, 4].slice(0, Math.min(i + 2, 5)))
    }
    await Promise.all(all)
  })

  it('keeps the queue moving after a task rejects', async () => {
    const limit = createLimiter(1)
    const failing = limit(() => Promise.reject(new Error('boom')))
    let nextRan = false
    const next = limit(async () => {
      nextRan = true
      return 'next ran'
    })
    await expect(failing).rejects.toThrow('boom')
    await flush()
    expect(nextRan).toBe(true)
    await expect(next).resolves.toBe('next ran')
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
  })

  it('keeps the queue moving after a task throws synchronously', async () => {
    const limit = createLimiter(1)
    const throwing = limit((): Promise<string> => {
      throw new TypeError('sync boom')
    })
    let nextRan = false
    const next = limit(async () => {
      nextRan = true
      return 'next ran'
    })
    await expect(throwing).rejects.toThrow('sync boom')
    await flush()
    expect(nextRan).toBe(true)
    await expect(next).resolves.toBe('next ran')
    expect(limit.activeCount).toBe(0)
  })

  it('frees the slot of every failing task so later tasks all run', async () => {
    const limit = createLimiter(2)
    const outcomes: string[] = Array.from({ length: 6 }, () => 'pending')
    Array.from({ length: 6 }, (_, i) =>
      limit(async () => {
        if (i % 2 === 0) throw new Error(`fail ${i}`)
        return i
      }).then(
        () => (outcomes[i] = 'fulfilled'),
        () => (outcomes[i] = 'rejected'),
      ),
    )
    await flush()
    expect(outcomes).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
  })

  it('rejects a queued task with the signal reason when it aborts, and never runs it', async () => {
    const limit = createLimiter(1)
    const gate = deferred()
    const first = limit(() => gate.promise)
    const controller = new AbortController()
    let ran = false
    const queued = limit(async () => {
      ran = true
    }, controller.signal)
    const after = limit(async () => 'after')
    await flush()
    expect(limit.pendingCount).toBe(2)
    const reason = new Error('stop it')
    controller.abort(reason)
    await expect(queued).rejects.toBe(reason)
    expect(limit.pendingCount).toBe(1)
    gate.resolve()
    await first
    await expect(after).resolves.toBe('after')
    expect(ran).toBe(false)
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
  })

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const limit = createLimiter(2)
    const controller = new AbortController()
    controller.abort('already gone')
    let ran = false
    const task = limit(async () => {
      ran = true
    }, controller.signal)
    await expect(task).rejects.toBe('already gone')
    expect(ran).toBe(false)
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
  })

  it('does not abort a task that already started when its signal aborts later', async () => {
    const limit = createLimiter(1)
    const controller = new AbortController()
    const gate = deferred<string>()
    const running = limit(() => gate.promise, controller.signal)
    await flush()
    expect(limit.activeCount).toBe(1)
    controller.abort(new Error('too late'))
    gate.resolve('finished')
    await expect(running).resolves.toBe('finished')
  })

  it('reports how many tasks run and how many wait', async () => {
    const limit = createLimiter(2)
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
    const gates = Array.from({ length: 5 }, () => deferred())
    const all = gates.map((gate) => limit(() => gate.promise))
    await flush()
    expect(limit.activeCount).toBe(2)
    expect(limit.pendingCount).toBe(3)
    gates[0]!.resolve()
    await flush()
    expect(limit.activeCount).toBe(2)
    expect(limit.pendingCount).toBe(2)
    for (const gate of gates) gate.resolve()
    await Promise.all(all)
    expect(limit.activeCount).toBe(0)
    expect(limit.pendingCount).toBe(0)
  })

  it.each([0, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a concurrency of %p with a TypeError', (concurrency) => {
    expect(() => createLimiter(concurrency)).toThrow(TypeError)
    expect(() => createLimiter(concurrency)).toThrow('Expected `concurrency` to be an integer from 1 and up')
  })
})
