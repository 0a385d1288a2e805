import { describe, expect, it } from '@jest/globals'
import type { AgentOptions } from '../../src/engine/agent-options.js'
import { resolveConfig, type RunConfig } from '../../src/engine/config.js'
import type { PhaseMeta, WorkflowMeta } from '../../src/core/ports.js'
import { resolveRoute } from '../../src/engine/routing.js'

const config = (partial: Partial<RunConfig> = {}): RunConfig =>
  resolveConfig({
    tiers: { fast: { model: 'tier-fast-model' }, deep: { provider: 'anthropic', model: 'claude-opus-4-5' } },
    agentTypes: {
      reviewer: { provider: 'openai', model: 'type-model', system: 'You review code.', tools: ['Read', 'Grep'] },
      typeWithoutModel: { provider: 'codex', system: 'no model here' },
      plain: { system: 'plain type' },
    },
    ...partial,
  })

const defaultModelOf = (provider: string) => `${provider}-default`

function route(options: AgentOptions, phase?: PhaseMeta, meta: WorkflowMeta = { name: 'w' }, cfg: RunConfig = config()) {
  return resolveRoute(options, phase, meta, cfg, 'mock', defaultModelOf)
}

const phase: PhaseMeta = { title: 'Review', model: 'phase-model' }
const meta: WorkflowMeta = { name: 'w', model: 'meta-model' }
const withFlag = config({ model: 'flag-model' })

describe('resolveRoute precedence', () => {
  it('uses an explicit model over everything else', () => {
    expect(route({ model: 'explicit', agentType: 'reviewer', tier: 'fast' }, phase, meta, withFlag).model).toBe('explicit')
  })

  it('uses the agent type model over tier, phase, --model and meta', () => {
    expect(route({ agentType: 'reviewer', tier: 'fast' }, phase, meta, withFlag)).toMatchObject({ provider: 'openai', model: 'type-model' })
  })

  it('uses the tier over phase, --model and meta', () => {
    expect(route({ tier: 'fast' }, phase, meta, withFlag)).toMatchObject({ provider: 'mock', model: 'tier-fast-model' })
  })

  it('uses the phase model over --model and meta', () => {
    expect(route({}, phase, meta, withFlag).model).toBe('phase-model')
  })

  it('uses --model (config.model) over meta.model', () => {
    expect(route({}, { title: 'NoModel' }, meta, withFlag).model).toBe('flag-model')
  })

  it('uses meta.model when nothing else chooses', () => {
    expect(route({}, undefined, meta).model).toBe('meta-model')
  })

  it("falls back to the provider's default model", () => {
    expect(route({})).toEqual({ provider: 'mock', model: 'mock-default', system: undefined, tools: undefined, notice: undefined })
  })

  it('falls through an agent type without a model to the next choice', () => {
    expect(route({ agentType: 'plain', tier: 'fast' }, phase).model).toBe('tier-fast-model')
    expect(route({ agentType: 'plain' }, phase).model).toBe('phase-model')
    expect(route({ agentType: 'plain' }).model).toBe('mock-default')
  })
})

describe('resolveRoute providers', () => {
  it('takes the provider of a tier route', () => {
    expect(route({ tier: 'deep' }, phase, meta, withFlag)).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-5' })
  })

  it('takes the provider of an agent type route, with its system prompt and tools', () => {
    expect(route({ agentType: 'reviewer' })).toEqual({ provider: 'openai', model: 'type-model', system: 'You review code.', tools: ['Read', 'Grep'], notice: undefined })
  })

  it("uses an agent type's provider with its default model when the type names no model", () => {
    expect(route({ agentType: 'typeWithoutModel' })).toMatchObject({ provider: 'codex', model: 'codex-default', system: 'no model here' })
  })

  it("keeps the agent type's provider when the call names the model", () => {
    expect(route({ agentType: 'reviewer', model: 'explicit' })).toMatchObject({ provider: 'openai', model: 'explicit' })
  })

  it('uses the default provider for phase, --model and meta models', () => {
    expect(route({}, phase).provider).toBe('mock')
    expect(route({}, undefined, meta, withFlag).provider).toBe('mock')
    expect(route({}, undefined, meta).provider).toBe('mock')
  })

  it('has no system prompt or tools without an agent type', () => {
    const r = route({ tier: 'deep' })
    expect(r.system).toBeUndefined()
    expect(r.tools).toBeUndefined()
  })
})

describe('resolveRoute with an unknown agent type', () => {
  it('gives a notice naming the type, and routes as if it were not asked for', () => {
    const r = route({ agentType: 'revieww' }, phase, meta, withFlag)
    expect(r.model).toBe('phase-model')
    expect(r.system).toBeUndefined()
    expect(r.notice).toMatch(/^agent type 'revieww' is not configured.*; the call runs without its model, system prompt and tools$/)
  })
})

describe('resolveRoute with an unknown tier', () => {
  it('gives a notice naming the tier and the configured ones, and falls through', () => {
    const r = route({ tier: 'turbo' }, phase, meta, withFlag)
    expect(r.model).toBe('phase-model')
    expect(r.provider).toBe('mock')
    expect(r.notice).toContain("tier 'turbo' is not configured")
    expect(r.notice).toContain('configured: fast, deep')
  })

  it('falls through to the default model when nothing else chooses', () => {
    const r = route({ tier: 'turbo' }, undefined, { name: 'w' }, resolveConfig())
    expect(r).toMatchObject({ provider: 'mock', model: 'mock-default' })
    expect(r.notice).toContain("tier 'turbo' is not configured")
    expect(r.notice).not.toContain('configured:')
  })

  it('gives no notice for a known tier or no tier', () => {
    expect(route({ tier: 'fast' }).notice).toBeUndefined()
    expect(route({}).notice).toBeUndefined()
  })

  it('gives the notice even when an explicit model wins anyway', () => {
    const r = route({ tier: 'turbo', model: 'explicit' })
    expect(r.model).toBe('explicit')
    expect(r.notice).toContain("tier 'turbo'")
  })
})
