import { createMockProvider, mockOptionsFromEnv } from './mock.js'
import type { AgentProvider } from './types.js'
import type { ProviderSet } from '../engine/ports.js'

/** The agent names a user can choose (`--agent`, the `agent` input). */
export const AGENT_NAMES = ['auto', 'mock', 'command', 'claude-code', 'codex', 'anthropic', 'openai'] as const
export type AgentName = (typeof AGENT_NAMES)[number]

/** A wrong agent choice: the shells turn it into their own input error. */
export class AgentSelectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AgentSelectionError'
  }
}

export interface AgentSelection {
  provider: Exclude<AgentName, 'auto'>
  /** What the user should know about the choice (which agent `auto` picked, mock answers). */
  notice?: string
}

const CREDENTIALS = 'ANTHROPIC_API_KEY or OPENAI_API_KEY'

/**
 * Resolves `auto` and checks the name. `auto` picks claude-code with an Anthropic key,
 * openai with an OpenAI key; with neither, the CLI falls back to mock with a notice, while
 * CI (`allowMockFallback: false`) fails: a CI run must never silently produce mock answers.
 */
export function selectAgent(name: string | undefined, env: NodeJS.ProcessEnv, options: { allowMockFallback: boolean }): AgentSelection {
  const chosen = name ?? 'auto'
  if (!(AGENT_NAMES as readonly string[]).includes(chosen)) throw new AgentSelectionError(`unknown agent '${chosen}'; choose one of ${AGENT_NAMES.join(', ')}`)
  if (chosen === 'mock') return { provider: 'mock', notice: 'agent: mock (offline): answers are mock answers, not real model output' }
  if (chosen !== 'auto') return { provider: chosen as AgentSelection['provider'] }
  if (env.ANTHROPIC_API_KEY) return { provider: 'claude-code', notice: 'agent: claude-code (auto: ANTHROPIC_API_KEY is set)' }
  if (env.OPENAI_API_KEY) return { provider: 'openai', notice: 'agent: openai (auto: OPENAI_API_KEY is set)' }
  if (!options.allowMockFallback) throw new AgentSelectionError(`no agent credentials: set the ${CREDENTIALS} secret, or choose an agent explicitly (agent: mock for offline mock answers)`)
  return { provider: 'mock', notice: `no agent credentials found (${CREDENTIALS}): using the offline mock agent; answers are mock answers, not real model output` }
}

/** The providers a run can route to, with the selected one as default. */
export function createProviderSet(selection: AgentSelection, env: NodeJS.ProcessEnv): ProviderSet {
  const providers = new Map<string, AgentProvider>()
  const make = (name: string): AgentProvider | undefined => {
    if (name === 'mock') return createMockProvider(mockOptionsFromEnv(env))
    return undefined
  }
  const first = make(selection.provider)
  if (!first) throw new AgentSelectionError(`agent '${selection.provider}' is not available in this version yet; use --agent mock`)
  providers.set(first.name, first)
  return {
    defaultProvider: first.name,
    get(name) {
      if (!providers.has(name)) {
        const made = make(name)
        if (made) providers.set(name, made)
      }
      return providers.get(name)
    },
  }
}
