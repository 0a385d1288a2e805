import type { RunConfig } from './config.js'
import type { PhaseMeta, WorkflowMeta } from '../core/ports.js'
import type { AgentOptions } from './agent-options.js'

export interface Route {
  provider: string
  model: string
  /** From the agent type, when it has one (joins the call identity). */
  system?: string
  tools?: string[]
  /** Set when the call asked for something that is not configured and fell back. */
  notice?: string
}

/**
 * Which provider and model answer a call. Precedence: explicit `model` > `agentType` >
 * `tier` > phase model > `--model` > `meta.model` > the provider's default.
 */
export function resolveRoute(
  options: AgentOptions,
  phase: PhaseMeta | undefined,
  meta: WorkflowMeta,
  config: RunConfig,
  defaultProvider: string,
  defaultModelOf: (provider: string) => string,
): Route {
  const type = options.agentType === undefined ? undefined : own(config.agentTypes, options.agentType)
  const tier = options.tier === undefined ? undefined : own(config.tiers, options.tier)
  let notice: string | undefined
  if (options.tier !== undefined && !tier)
    notice = `tier '${options.tier}' is not configured${Object.keys(config.tiers).length ? ` (configured: ${Object.keys(config.tiers).join(', ')})` : ''}; using the next model in the routing order`
  if (options.agentType !== undefined && !type)
    notice = `agent type '${options.agentType}' is not configured${Object.keys(config.agentTypes).length ? ` (configured: ${Object.keys(config.agentTypes).join(', ')})` : ''}; the call runs without its model, system prompt and tools`
  const chosen: { provider?: string; model: string } | undefined =
    options.model !== undefined
      ? { model: options.model }
      : type?.model !== undefined
        ? { provider: type.provider, model: type.model }
        : (tier ?? firstModel(phase?.model, config.model, meta.model))
  const provider = chosen?.provider ?? type?.provider ?? defaultProvider
  const model = chosen?.model ?? defaultModelOf(provider)
  return { provider, model, system: type?.system, tools: type?.tools, notice }
}

function firstModel(...models: Array<string | undefined>): { model: string } | undefined {
  const model = models.find((m) => m !== undefined)
  return model === undefined ? undefined : { model }
}

/** A map's own entry: a tier named 'constructor' must not find Object.prototype.constructor. */
function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined
}
