import type { AgentTypeConfig, ModelRoute } from '../engine/config.js'
import { isRecord } from '../util/objects.js'

/** Settings of each provider, from the config file (all optional). */
export interface ProvidersConfig {
  anthropic?: { baseURL?: string; apiKeyEnv?: string; model?: string; maxTokens?: number }
  openai?: { baseURL?: string; apiKeyEnv?: string; model?: string }
  'claude-code'?: { command?: string; allowedTools?: string[]; permissionMode?: string; configDir?: string; model?: string; maxRetries?: number }
  codex?: { command?: string; config?: string[]; model?: string }
  command?: { command?: string; passEnv?: string[] }
}

/** The routing and provider settings a project keeps in dynamic-workflow.json. */
export interface AgentsConfig {
  tiers: Record<string, ModelRoute>
  agentTypes: Record<string, AgentTypeConfig>
  providers: ProvidersConfig
}

export const EMPTY_AGENTS_CONFIG: AgentsConfig = { tiers: {}, agentTypes: {}, providers: {} }

/**
 * Checks a parsed config value; every problem names its place ("tiers.cheap.model must be
 * a string"). A tier may be a model name or { provider, model }.
 */
export function checkAgentsConfig(value: unknown, where: string): AgentsConfig {
  const fail = (message: string) => new Error(`${where}: ${message}`)
  if (!isRecord(value)) throw fail('must be a JSON object with tiers, agentTypes and providers')
  const unknown = Object.keys(value).filter((k) => !['tiers', 'agentTypes', 'providers', '$schema'].includes(k))
  if (unknown.length) throw fail(`unknown key '${unknown[0]}'; allowed: tiers, agentTypes, providers`)
  const tiers: Record<string, ModelRoute> = {}
  for (const [name, tier] of Object.entries(record(value.tiers, 'tiers', fail))) {
    if (typeof tier === 'string' && tier) tiers[name] = { model: tier }
    else if (isRecord(tier) && typeof tier.model === 'string' && (tier.provider === undefined || typeof tier.provider === 'string'))
      tiers[name] = { model: tier.model, ...(tier.provider ? { provider: tier.provider } : {}) }
    else throw fail(`tiers.${name} must be a model name or { "provider": "...", "model": "..." }`)
  }
  const agentTypes: Record<string, AgentTypeConfig> = {}
  for (const [name, type] of Object.entries(record(value.agentTypes, 'agentTypes', fail))) {
    if (!isRecord(type)) throw fail(`agentTypes.${name} must be an object`)
    for (const key of ['provider', 'model', 'system'] as const)
      if (type[key] !== undefined && typeof type[key] !== 'string') throw fail(`agentTypes.${name}.${key} must be a string`)
    if (type.tools !== undefined && !(Array.isArray(type.tools) && type.tools.every((t) => typeof t === 'string')))
      throw fail(`agentTypes.${name}.tools must be an array of tool names`)
    agentTypes[name] = type as AgentTypeConfig
  }
  return { tiers, agentTypes, providers: record(value.providers, 'providers', fail) as ProvidersConfig }
}

function record(value: unknown, name: string, fail: (message: string) => Error): Record<string, unknown> {
  if (value === undefined) return {}
  if (!isRecord(value)) throw fail(`${name} must be an object`)
  return value
}

/** Every provider a config can route to, so they can all be checked before a run starts. */
export function routedProviders(config: AgentsConfig): string[] {
  return [...Object.values(config.tiers), ...Object.values(config.agentTypes)].flatMap((route) => (route.provider ? [route.provider] : []))
}
