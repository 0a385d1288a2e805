import { isRecord } from '../util/objects.js'
import { type AgentTypeConfig, type ModelRoute } from '../core/ports.js'

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
  return { tiers, agentTypes, providers: checkProviders(record(value.providers, 'providers', fail), fail) }
}

type Kind = 'string' | 'strings' | 'count'
/** The settings each provider takes, and their kinds: checked here, so a typo fails before a run, not at its first call. */
const PROVIDER_SETTINGS: Record<keyof ProvidersConfig, Record<string, Kind>> = {
  anthropic: { baseURL: 'string', apiKeyEnv: 'string', model: 'string', maxTokens: 'count' },
  openai: { baseURL: 'string', apiKeyEnv: 'string', model: 'string' },
  'claude-code': { command: 'string', allowedTools: 'strings', permissionMode: 'string', configDir: 'string', model: 'string', maxRetries: 'count' },
  codex: { command: 'string', config: 'strings', model: 'string' },
  command: { command: 'string', passEnv: 'strings' },
}
const KIND_TEXT: Record<Kind, string> = { string: 'a non-empty string', strings: 'an array of strings', count: 'a whole number' }

function checkProviders(providers: Record<string, unknown>, fail: (message: string) => Error): ProvidersConfig {
  for (const [name, settings] of Object.entries(providers)) {
    const spec = PROVIDER_SETTINGS[name as keyof ProvidersConfig]
    if (!spec) throw fail(`providers.${name}: unknown provider; settings exist for ${Object.keys(PROVIDER_SETTINGS).join(', ')}`)
    if (!isRecord(settings)) throw fail(`providers.${name} must be an object`)
    for (const [key, setting] of Object.entries(settings)) {
      const kind = spec[key]
      if (!kind) throw fail(`providers.${name}.${key} is not a setting of ${name}; allowed: ${Object.keys(spec).join(', ')}`)
      const ok =
        kind === 'string'
          ? typeof setting === 'string' && setting !== ''
          : kind === 'strings'
            ? Array.isArray(setting) && setting.every((item) => typeof item === 'string')
            : Number.isSafeInteger(setting) && (setting as number) >= 0
      if (!ok) throw fail(`providers.${name}.${key} must be ${KIND_TEXT[kind]}, got ${JSON.stringify(setting)}`)
    }
  }
  return providers as ProvidersConfig
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
