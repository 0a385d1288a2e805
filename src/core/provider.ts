/**
 * The one interface every provider implements. A provider turns a request into text (or a
 * native structured value) plus real usage; the engine owns retries, timeouts, schema
 * validation and repair, journaling and budgets.
 */

/** A JSON Schema object (validated by ajv before any call is made). */
export type JsonSchema = Record<string, unknown>

export interface AgentRequest {
  prompt: string
  system?: string
  /** The resolved model id. */
  model: string
  schema?: JsonSchema
  agentType?: string
  tools?: string[]
  /** sha256 of the call identity: the mock answers from it; others may tag sessions with it. */
  identityHash: string
  label?: string
  /** Set on a schema repair re-ask: the rejected output and what was wrong with it. */
  repair?: { output: string; errors: string[] }
  /** Providers call this whenever output arrives, so a hung agent can be told from a slow one. */
  onActivity?: () => void
  /** An editing call's own copy of the tree: the agent's working directory for this call. */
  cwd?: string
  /** Shared material (`context` option), sent before the prompt; only providers with `cachesContext` see it apart from the prompt. */
  context?: string
}

export interface ProviderUsage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
  /** The provider's own figure, when it reports one (e.g. Claude Code's total_cost_usd). */
  costUsd?: number
}

export interface AgentResponse {
  /** The answer as text (for structured output, the raw text it was read from). */
  text: string
  /** A structured value from a native mechanism (tool use, json_schema response format). */
  json?: unknown
  usage: ProviderUsage
  /** The model that answered, as the provider reports it. */
  model: string
  sessionId?: string
}

export interface AgentProvider {
  readonly name: string
  readonly defaultModel: string
  /** Whether its agents can change files in their working directory (`edits: true`). */
  readonly canEdit?: boolean
  /** Whether it sends `context` apart, marked for the provider's prompt cache (else the engine puts it before the prompt). */
  readonly cachesContext?: boolean
  /** Must reject promptly once `signal` aborts, and leave no process or socket behind. */
  run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse>
}
