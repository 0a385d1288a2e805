import { promptWithSchema } from '../structured/repair.js'
import { secretValues } from './redact.js'
import { BASE_ENV, classifyCliFailure, count, pickEnv, runProcess } from './subprocess.js'
import type { AgentProvider, AgentRequest, AgentResponse, ProviderUsage } from '../core/provider.js'

export interface CodexOptions {
  /** The executable (default `codex`), looked up on env.PATH. */
  command?: string
  env: NodeJS.ProcessEnv
  cwd?: string
  /** Extra `-c key=value` overrides (model_provider, sandbox_mode, ...). */
  config?: readonly string[]
  secrets?: readonly string[]
  maxOutputBytes?: number
}

/** Codex's home, credentials and endpoint, passed through when set. */
const CODEX_ENV = ['CODEX_HOME', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const

/**
 * The Codex CLI (`codex exec --json`): the prompt on stdin (`-`), JSONL events on stdout:
 * thread.started (the session), item.completed (agent messages), turn.completed (usage),
 * error / turn.failed. `codex exec` has no system prompt flag, so a system prompt leads the prompt.
 */
export function createCodexProvider(options: CodexOptions): AgentProvider {
  const command = options.command ?? 'codex'
  const env = { ...pickEnv(options.env, BASE_ENV), ...pickEnv(options.env, CODEX_ENV) }
  const secrets = [...(options.secrets ?? []), ...secretValues(pickEnv(options.env, CODEX_ENV))]
  return {
    name: 'codex',
    canEdit: true,
    defaultModel: 'gpt-5-codex',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const prompt = promptWithSchema(request)
      const result = await runProcess({
        command,
        args: codexArgs(request, options.config ?? []),
        env,
        cwd: request.cwd ?? options.cwd,
        stdin: request.system ? `${request.system}\n\n${prompt}` : prompt,
        signal,
        onActivity: request.onActivity,
        maxOutputBytes: options.maxOutputBytes,
      })
      const events = parseCodexEvents(result.stdout)
      const failed = result.code !== 0 || events.failed || (events.errors.length > 0 && !events.completed)
      if (failed) {
        const said = [...events.errors, result.stderr].filter((s) => s.trim()).join('\n')
        const how = result.code === 0 ? 'reported an error' : result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`
        throw classifyCliFailure(`codex ${how}`, said, secrets)
      }
      const response: AgentResponse = { text: events.text ?? '', usage: events.usage, model: request.model }
      if (events.threadId) response.sessionId = events.threadId
      return response
    },
  }
}

/** The argv after the executable. */
export function codexArgs(request: AgentRequest, config: readonly string[]): string[] {
  // An editing call may write in its copy of the tree (codex exec is read-only by default); a configured sandbox_mode wins.
  const sandbox = request.cwd !== undefined && !config.some((c) => c.startsWith('sandbox_mode=')) ? ['--sandbox', 'workspace-write'] : []
  return ['exec', '--json', '--skip-git-repo-check', ...sandbox, '-m', request.model, ...config.flatMap((c) => ['-c', c]), '-']
}

export interface CodexEvents {
  /** The last agent message. */
  text?: string
  usage: ProviderUsage
  threadId?: string
  completed: boolean
  failed: boolean
  /** Messages of `error` and `turn.failed` events. */
  errors: string[]
}

const MESSAGE_TYPES = new Set(['agent_message', 'assistant_message'])

/** Reads `codex exec --json` output; lines that are not JSON events are skipped. */
export function parseCodexEvents(stdout: string): CodexEvents {
  const events: CodexEvents = { usage: { inputTokens: 0, outputTokens: 0 }, completed: false, failed: false, errors: [] }
  let cached = 0
  for (const line of stdout.split('\n')) {
    const event = parseLine(line)
    if (!event) continue
    switch (event.type) {
      case 'thread.started':
        if (typeof event.thread_id === 'string') events.threadId = event.thread_id
        break
      case 'item.completed': {
        // Nested ({item: {type, text}}) as codex prints it now, or flat ({item_type, text}) as older versions did.
        const item = isObject(event.item) ? event.item : event
        const type = item === event ? event.item_type : (item.type ?? item.item_type)
        if (typeof type === 'string' && MESSAGE_TYPES.has(type) && typeof item.text === 'string') events.text = item.text
        break
      }
      case 'turn.completed': {
        events.completed = true
        const usage = isObject(event.usage) ? event.usage : {}
        const input = count(usage.input_tokens) ?? 0
        const read = count(usage.cached_input_tokens) ?? 0
        // OpenAI's input count includes the cached tokens, which are priced apart.
        events.usage.inputTokens += Math.max(0, input - read)
        events.usage.outputTokens += count(usage.output_tokens) ?? 0
        cached += read
        break
      }
      case 'turn.failed':
        events.failed = true
        events.errors.push(messageOf(event.error) ?? messageOf(event) ?? 'the turn failed')
        break
      case 'error':
        events.errors.push(messageOf(event) ?? messageOf(event.error) ?? 'error')
        break
    }
  }
  if (cached > 0) events.usage.cacheReadTokens = cached
  return events
}

function parseLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(trimmed)
    return isObject(value) && typeof value.type === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return isObject(value) && typeof value.message === 'string' ? value.message : undefined
}
