import { afterAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cacheSlot, restoreKeys } from '../../src/action/cache-keys.js'
import { Checkpoints } from '../../src/action/checkpoints.js'
import { JournalCache, type CacheClient } from '../../src/action/journal-cache.js'
import type { RunEvent } from '../../src/core/events.js'

const run = { runId: '77', attempt: 2, job: 'review' }
const slot = cacheSlot('w', 'review')

/** A cache client that records calls; each save waits until released when `hold` is set. */
function client(options: { restore?: string | Error; save?: number | Error; hold?: boolean } = {}) {
  const saves: string[] = []
  const releases: Array<() => void> = []
  let active = 0
  let maxActive = 0
  const impl: CacheClient = {
    async restoreCache() {
      if (options.restore instanceof Error) throw options.restore
      return options.restore
    },
    async saveCache(_paths, key) {
      saves.push(key)
      active++
      maxActive = Math.max(maxActive, active)
      if (options.hold) await new Promise<void>((resolve) => releases.push(resolve))
      active--
      if (options.save instanceof Error) throw options.save
      return options.save ?? 1
    },
  }
  return { impl, saves, releases, maxActive: () => maxActive }
}

/** Where restore() puts its quarantine and the journal (these fake clients extract nothing). */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-journal-cache-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
const target = { workspace: scratch, scratch, stateRoot: path.join(scratch, 'state'), journalFile: path.join(scratch, 'state', 'journal', 'w.jsonl') }

function logs() {
  const lines = { info: [] as string[], warning: [] as string[] }
  return { lines, log: { info: (m: string) => lines.info.push(m), warning: (m: string) => lines.warning.push(m) } }
}

describe('JournalCache', () => {
  it('tells a re-run of this run from a reuse of an earlier run', async () => {
    const own = `${restoreKeys(slot, run).primary}1-3`
    expect(await new JournalCache(client({ restore: own }).impl, slot, run, ['j'], logs().log).restore(target)).toEqual({ key: own, thisRun: true })
    const other = `${restoreKeys(slot, run).fallbacks[0]}55-1-0`
    expect(await new JournalCache(client({ restore: other }).impl, slot, run, ['j'], logs().log).restore(target)).toEqual({ key: other, thisRun: false })
  })

  it('restore with a failing cache warns and runs from scratch', async () => {
    const { lines, log } = logs()
    expect(await new JournalCache(client({ restore: new Error('ECONNRESET') }).impl, slot, run, ['j'], log).restore(target)).toEqual({ thisRun: false })
    expect(lines.warning.join()).toMatch(/Could not restore the journal .*ECONNRESET.*running without it/)
  })

  it('saves under a new key every time', async () => {
    const c = client()
    const cache = new JournalCache(c.impl, slot, run, ['j'], logs().log)
    await cache.save('a')
    await cache.save('b')
    expect(new Set(c.saves).size).toBe(2)
  })

  it('save returning -1 or throwing outputs a warning and never throws', async () => {
    for (const save of [-1, new Error('quota')]) {
      const { lines, log } = logs()
      expect(await new JournalCache(client({ save }).impl, slot, run, ['j'], log).save('final')).toBe(false)
      expect(lines.warning).toHaveLength(1)
    }
  })

  it('a cache that keeps refusing (read-only on a fork PR) warns once, not at every checkpoint; a save that works again resets it', async () => {
    let answer = -1
    const impl: CacheClient = { restoreCache: async () => undefined, saveCache: async () => answer }
    const { lines, log } = logs()
    const cache = new JournalCache(impl, slot, run, ['j.jsonl'], log)
    for (const reason of ['checkpoint', 'checkpoint', 'final']) expect(await cache.save(reason)).toBe(false)
    expect(lines.warning).toHaveLength(1)
    expect(lines.warning[0]).toMatch(/read-only cache on fork PRs and pull_request_target/)
    expect(lines.info.filter((m) => /not saved/.test(m))).toHaveLength(2)
    answer = 7
    expect(await cache.save('checkpoint')).toBe(true)
    answer = -1
    expect(await cache.save('final')).toBe(false)
    expect(lines.warning).toHaveLength(2)
  })

  it('never runs two saves at once', async () => {
    const c = client({ hold: true })
    const cache = new JournalCache(c.impl, slot, run, ['j'], logs().log)
    const first = cache.save('one')
    const second = cache.save('two')
    await new Promise((r) => setImmediate(r))
    expect(c.saves).toHaveLength(1)
    c.releases.shift()!()
    await first
    await new Promise((r) => setImmediate(r))
    c.releases.shift()!()
    await second
    expect(c.saves).toHaveLength(2)
    expect(c.maxActive()).toBe(1)
  })
})

describe('Checkpoints', () => {
  const succeeded = (id: number): RunEvent => ({ type: 'agent_succeeded', at: 0, id, usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 }, durationMs: 1, model: 'm' })

  it('saves at a phase end only when something new was journaled, and always at the end', async () => {
    const c = client()
    const checkpoints = new Checkpoints(new JournalCache(c.impl, slot, run, ['j'], logs().log), 60_000)
    checkpoints.onEvent({ type: 'phase_started', at: 0, title: 'A' })
    expect(c.saves).toHaveLength(0)
    checkpoints.onEvent(succeeded(1))
    checkpoints.onEvent({ type: 'phase_started', at: 0, title: 'B' })
    await new Promise((r) => setImmediate(r))
    expect(c.saves).toHaveLength(1)
    await checkpoints.final()
    expect(c.saves).toHaveLength(2)
  })

  it('saves after the interval once new entries exist', async () => {
    const c = client()
    let now = 0
    const checkpoints = new Checkpoints(new JournalCache(c.impl, slot, run, ['j'], logs().log), 5, () => now)
    checkpoints.onEvent(succeeded(1))
    now = 10
    await new Promise((r) => setTimeout(r, 30))
    expect(c.saves).toHaveLength(1)
    await checkpoints.final()
  })
})
