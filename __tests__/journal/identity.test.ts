import { describe, expect, it } from '@jest/globals'
import { canonicalJson } from '../../src/util/canonical-json.js'
import { CallKeyer, changedComponents, componentHashes, identityHash } from '../../src/journal/identity.js'

const base = { prompt: 'Review the diff', provider: 'mock', model: 'm1' }

describe('canonicalJson', () => {
  it('sorts keys at every depth so equal values give equal text', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}')
  })

  it('drops undefined members like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}')
  })

  it('rejects values JSON cannot hold', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(/\$\.a is NaN/)
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/)
  })
})

describe('identityHash', () => {
  it('is the same for the same inputs, whatever the key order', () => {
    expect(identityHash({ ...base, schema: { type: 'object', required: ['a'] } })).toBe(identityHash({ schema: { required: ['a'], type: 'object' }, model: 'm1', provider: 'mock', prompt: 'Review the diff' }))
  })

  it.each([
    ['prompt', { prompt: 'Review the diff!' }],
    ['system', { system: 'be terse' }],
    ['provider', { provider: 'openai' }],
    ['model', { model: 'm2' }],
    ['schema', { schema: { type: 'string' } }],
    ['agentType', { agentType: 'reviewer' }],
    ['tools', { tools: ['Read'] }],
    ['cacheKey', { cacheKey: 'v2' }],
    ['files', { files: { 'a.ts': 'abc' } }],
  ])('changes when %s changes', (_, change) => {
    expect(identityHash({ ...base, ...change })).not.toBe(identityHash(base))
  })

  it('is a sha256 hex digest', () => {
    expect(identityHash(base)).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('componentHashes and changedComponents', () => {
  it('names exactly the components that differ', () => {
    const a = componentHashes({ ...base, system: 's' })
    const b = componentHashes({ ...base, prompt: 'other', model: 'm2', system: 's' })
    expect(changedComponents(a, b)).toEqual(['prompt', 'model'])
  })

  it('counts a component present on one side only as changed', () => {
    expect(changedComponents(componentHashes(base), componentHashes({ ...base, cacheKey: 'x' }))).toEqual(['cacheKey'])
  })
})

describe('CallKeyer', () => {
  it('numbers repeated hashes and keeps distinct hashes at #0', () => {
    const keyer = new CallKeyer()
    expect([keyer.next('a'), keyer.next('b'), keyer.next('a'), keyer.next('a')]).toEqual(['a#0', 'b#0', 'a#1', 'a#2'])
  })
})
