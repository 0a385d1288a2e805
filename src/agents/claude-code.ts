import { errorForStatus } from './provider-errors.js'
import { promptWithSchema } from '../structured/repair.js'
import { secretValues } from './redact.js'
import { BASE_ENV, classifyCliFailure, count, pickEnv, runProcess } from './subprocess.js'
import type { AgentProvider, AgentRequest, AgentResponse, ProviderUsage } from '../core/provider.js'

export interface ClaudeCodeOptions {
  /** The executable (default `claude`), looked up on env.PATH. */
  command?: string
  env: NodeJS.ProcessEnv
  cwd?: string
  /** `--allowedTools`; a call's own tools (its agent type's) take precedence. */
  allowedTools?: readonly string[]
  /** `--permission-mode` (default, acceptEdits, plan, bypassPermissions...). */
  permissionMode?: string
  /** CLAUDE_CONFIG_DIR: where Claude Code keeps its settings and session files. */
  configDir?: string
  /** CLAUDE_CODE_MAX_RETRIES: API retries inside one session (default 2). */
  maxRetries?: number
  secrets?: readonly string[]
  maxOutputBytes?: number
}

/** Credentials and endpoints Claude Code may need, passed through when set. */
const CLAUDE_ENV = ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'] as const

/**
 * Claude Code in print mode (`claude -p --output-format json`): the prompt on stdin, one JSON
 * result object on stdout with the answer, usage, the CLI's own cost figure and the session.
 */
export function createClaudeCodeProvider(options: ClaudeCodeOptions): AgentProvider {
  const command = options.command ?? 'claude'
  const env = claudeEnv(options)
  const secrets = [...(options.secrets ?? []), ...secretValues(pickEnv(options.env, CLAUDE_ENV))]
  return {
    name: 'claude-code',
    canEdit: true,
    defaultModel: 'sonnet',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const result = await runProcess({
        command,
        args: claudeArgs(request, options),
        env,
        cwd: request.cwd ?? options.cwd,
        stdin: promptWithSchema(request),
        signal,
        onActivity: request.onActivity,
        maxOutputBytes: options.maxOutputBytes,
      })
      const parsed = parseResultObject(result.stdout)
      // Claude Code reports an API failure as is_error with the HTTP status: type it from that.
      if (parsed?.is_error === true && typeof parsed.api_error_status === 'number')
        throw errorForStatus(parsed.api_error_status, typeof parsed.result === 'string' ? parsed.result : '', { secrets })
      if (result.code !== 0 || !parsed || parsed.is_error === true) {
        const said = [typeof parsed?.result === 'string' ? parsed.result : '', result.stderr, parsed ? '' : result.stdout].filter((s) => s.trim()).join('\n')
        const how = result.code === 0 ? (parsed ? 'reported an error' : 'printed no JSON result') : result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`
        throw classifyCliFailure(`claude-code ${how}`, said, secrets)
      }
      return responseOf(parsed, request)
    },
  }
}

/** The argv after the executable. */
export function claudeArgs(request: AgentRequest, options: Pick<ClaudeCodeOptions, 'allowedTools' | 'permissionMode'>): string[] {
  const args = ['-p', '--output-format', 'json', '--model', request.model]
  if (request.system) args.push('--append-system-prompt', request.system)
  const tools = request.tools ?? options.allowedTools
  if (tools && tools.length > 0) args.push('--allowedTools', tools.join(','))
  // An editing call (it has a copy of the tree as cwd) may edit without asking: print mode cannot ask.
  const mode = options.permissionMode ?? (request.cwd !== undefined ? 'acceptEdits' : undefined)
  if (mode) args.push('--permission-mode', mode)
  return args
}

/** Exactly the environment Claude Code gets. */
export function claudeEnv(options: Pick<ClaudeCodeOptions, 'env' | 'configDir' | 'maxRetries'>): Record<string, string> {
  const env: Record<string, string> = { ...pickEnv(options.env, BASE_ENV), ...pickEnv(options.env, CLAUDE_ENV) }
  if (options.configDir) env.CLAUDE_CONFIG_DIR = options.configDir
  // A few retries inside the session are cheap; past them the engine retries the whole call.
  env.CLAUDE_CODE_MAX_RETRIES = String(options.maxRetries ?? 2)
  env.DISABLE_AUTOUPDATER = '1'
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1'
  return env
}

/** The result object: the whole stdout, or else its last line that is one (after any stray output). */
function parseResultObject(stdout: string): Record<string, unknown> | undefined {
  const candidates = [stdout.trim(), ...stdout.trim().split('\n').reverse()]
  for (const candidate of candidates) {
    const line = candidate.trim()
    if (!line.startsWith('{')) continue
    try {
      const value: unknown = JSON.parse(line)
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && ('result' in value || 'is_error' in value)) return value as Record<string, unknown>
    } catch {
      // not this one
    }
  }
  return undefined
}

function responseOf(parsed: Record<string, unknown>, request: AgentRequest): AgentResponse {
  const text = typeof parsed.result === 'string' ? parsed.result : ''
  const raw = (parsed.usage ?? {}) as Record<string, unknown>
  const usage: ProviderUsage = { inputTokens: count(raw.input_tokens) ?? 0, outputTokens: count(raw.output_tokens) ?? 0 }
  const cacheRead = count(raw.cache_read_input_tokens)
  const cacheWrite = count(raw.cache_creation_input_tokens)
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite
  const cost = count(parsed.total_cost_usd)
  if (cost !== undefined) usage.costUsd = cost
  const modelUsage = parsed.modelUsage
  const reported = modelUsage !== null && typeof modelUsage === 'object' ? Object.keys(modelUsage)[0] : undefined
  const response: AgentResponse = { text, usage, model: reported || request.model }
  if (typeof parsed.session_id === 'string' && parsed.session_id) response.sessionId = parsed.session_id
  return response
}
