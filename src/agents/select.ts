import fs from 'node:fs'
import path from 'node:path'
import { createAnthropicProvider } from './anthropic.js'
import { createClaudeCodeProvider } from './claude-code.js'
import { createCodexProvider } from './codex.js'
import { createCommandProvider } from './command.js'
import { EMPTY_AGENTS_CONFIG, routedProviders, type AgentsConfig, type ProvidersConfig } from './config.js'
import { createMockProvider, mockOptionsFromEnv } from './mock.js'
import { createOpenAIProvider } from './openai.js'
import { secretValues } from './redact.js'
import type { AgentProvider } from '../core/provider.js'
import type { ProviderSet } from '../core/ports.js'

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
export function selectAgent(
  name: string | undefined,
  env: NodeJS.ProcessEnv,
  options: { allowMockFallback: boolean; hasCommand?: (command: string) => boolean },
): AgentSelection {
  const chosen = name ?? 'auto'
  if (!(AGENT_NAMES as readonly string[]).includes(chosen)) throw new AgentSelectionError(`unknown agent '${chosen}'; choose one of ${AGENT_NAMES.join(', ')}`)
  if (chosen === 'mock') return { provider: 'mock', notice: 'agent: mock (offline): answers are mock answers, not real model output' }
  if (chosen !== 'auto') return { provider: chosen as AgentSelection['provider'] }
  if (env.ANTHROPIC_API_KEY) {
    // Claude Code when it is installed (agents with tools); the Messages API otherwise.
    const hasClaude = (options.hasCommand ?? ((command) => onPath(command, env)))('claude')
    return hasClaude
      ? { provider: 'claude-code', notice: 'agent: claude-code (auto: ANTHROPIC_API_KEY is set and claude is installed)' }
      : { provider: 'anthropic', notice: 'agent: anthropic (auto: ANTHROPIC_API_KEY is set; claude is not installed, so the Messages API is used)' }
  }
  if (env.OPENAI_API_KEY) return { provider: 'openai', notice: 'agent: openai (auto: OPENAI_API_KEY is set)' }
  if (!options.allowMockFallback) throw new AgentSelectionError(`no agent credentials: set the ${CREDENTIALS} secret, or choose an agent explicitly (agent: mock for offline mock answers)`)
  return { provider: 'mock', notice: `no agent credentials found (${CREDENTIALS}): using the offline mock agent; answers are mock answers, not real model output` }
}

/**
 * The providers a run can route to, the selected one as default. Every provider the config
 * routes to is built now, so a missing key or command is a usage error before any call.
 */
export function createProviderSet(selection: AgentSelection, env: NodeJS.ProcessEnv, config: AgentsConfig = EMPTY_AGENTS_CONFIG, cwd = process.cwd()): ProviderSet {
  const providers = new Map<string, AgentProvider>()
  const secrets = secretValues(env)
  for (const name of [selection.provider, ...routedProviders(config)])
    if (!providers.has(name)) providers.set(name, makeProvider(name, env, config.providers, secrets, cwd))
  return { defaultProvider: selection.provider, get: (name) => providers.get(name) }
}

function makeProvider(name: string, env: NodeJS.ProcessEnv, settings: ProvidersConfig, secrets: string[], cwd: string): AgentProvider {
  switch (name) {
    case 'mock':
      return createMockProvider(mockOptionsFromEnv(env))
    case 'anthropic': {
      const keyName = settings.anthropic?.apiKeyEnv ?? 'ANTHROPIC_API_KEY'
      const apiKey = env[keyName]
      if (!apiKey) throw new AgentSelectionError(`agent 'anthropic' needs an API key in ${keyName}`)
      return createAnthropicProvider({ apiKey, baseURL: settings.anthropic?.baseURL ?? env.ANTHROPIC_BASE_URL, defaultModel: settings.anthropic?.model, maxTokens: settings.anthropic?.maxTokens, secrets })
    }
    case 'openai': {
      const keyName = settings.openai?.apiKeyEnv ?? 'OPENAI_API_KEY'
      const baseURL = settings.openai?.baseURL ?? env.OPENAI_BASE_URL
      // Local OpenAI-compatible servers often need no key; the official API does.
      const apiKey = env[keyName] ?? (baseURL ? 'not-needed' : undefined)
      if (!apiKey) throw new AgentSelectionError(`agent 'openai' needs an API key in ${keyName} (or a baseURL of an OpenAI-compatible server)`)
      return createOpenAIProvider({ apiKey, baseURL, defaultModel: settings.openai?.model, secrets })
    }
    case 'claude-code': {
      const claude = settings['claude-code'] ?? {}
      return withDefaultModel(createClaudeCodeProvider({ command: claude.command, env, cwd, allowedTools: claude.allowedTools, permissionMode: claude.permissionMode, configDir: claude.configDir, maxRetries: claude.maxRetries, secrets }), claude.model)
    }
    case 'codex': {
      const codex = settings.codex ?? {}
      return withDefaultModel(createCodexProvider({ command: codex.command, env, cwd, config: codex.config, secrets }), codex.model)
    }
    case 'command': {
      const command = settings.command?.command
      if (!command) throw new AgentSelectionError("agent 'command' needs a program: --command \"python agent.py\" (the `command` input in the Action), or providers.command.command in the config")
      return createCommandProvider({ command, passEnv: settings.command?.passEnv ?? [], env, cwd, secrets })
    }
    default:
      throw new AgentSelectionError(`the config routes calls to an unknown agent '${name}'; choose one of ${AGENT_NAMES.filter((n) => n !== 'auto').join(', ')}`)
  }
}

/** Whether an executable of that name is on the PATH. */
export function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** A provider with the default model the config gives it. */
function withDefaultModel(provider: AgentProvider, model: string | undefined): AgentProvider {
  return model ? { ...provider, defaultModel: model, run: provider.run.bind(provider) } : provider
}
