import { describe, expect, it } from '@jest/globals'
import { cacheSlot, KEY_PREFIX, restoreKeys, saveKey } from '../../src/action/cache-keys.js'

const run = { runId: '9001', attempt: 2, job: 'review' }

describe('cache keys', () => {
  it('name every save of a run uniquely, in the scheme of DESIGN.md', () => {
    const slot = cacheSlot('pr-review', 'review')
    expect(saveKey(slot, run, 0)).toMatch(new RegExp(`^${KEY_PREFIX}-pr-review-review-[0-9a-f]{8}-9001-2-0$`))
    expect(saveKey(slot, run, 1)).not.toBe(saveKey(slot, run, 0))
  })

  it('restore this run first (any attempt), then the latest run of the slot', () => {
    const slot = cacheSlot('pr-review', 'review')
    const { primary, fallbacks } = restoreKeys(slot, run)
    expect(saveKey(slot, { ...run, attempt: 1 }, 3).startsWith(primary)).toBe(true)
    expect(saveKey(slot, { ...run, runId: '8000' }, 0).startsWith(primary)).toBe(false)
    expect(saveKey(slot, { ...run, runId: '8000' }, 0).startsWith(fallbacks[0]!)).toBe(true)
  })

  it('keep matrix jobs apart with the cache-key input, and no slot is a prefix of another', () => {
    const a = cacheSlot('w', 'job', 'linux')
    const b = cacheSlot('w', 'job', 'linux-arm')
    const plain = cacheSlot('w', 'job')
    expect(a).not.toBe(b)
    for (const [x, y] of [[a, b], [b, a], [plain, a], [a, plain]] as const) expect(saveKey(y, run, 0).startsWith(restoreKeys(x, run).primary)).toBe(false)
  })

  it('are key-safe whatever the inputs hold, and distinct inputs stay distinct', () => {
    const slot = cacheSlot('w', 'job', 'os: ubuntu, node 20')
    expect(slot).not.toMatch(/[,\s:]/)
    expect(cacheSlot('w', 'job', 'a,b')).not.toBe(cacheSlot('w', 'job', 'a;b'))
    expect(saveKey(cacheSlot('w'.repeat(300), 'j'.repeat(300), 'k'.repeat(300)), run, 99).length).toBeLessThanOrEqual(512)
  })
})
