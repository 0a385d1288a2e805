import { WorkflowError } from '../core/errors.js'
import { promptWithSchema } from '../structured/repair.js'
import { tooDeep } from '../util/json-depth.js'
import { redact, secretValues } from './redact.js'
import { schemaErrors } from '../structured/schema.js'
import { estimateTokens } from '../core/usage.js'
import { BASE_ENV, count, pickEnv, runProcess, tail } from './subprocess.js'
import type { AgentProvider, AgentRequest, AgentResponse, ProviderUsage } from '../core/provider.js'

export interface CommandProviderOptions {
  /** A shell command line (`python agent.py --fast`), run with /bin/sh -c. */
  command: string
  /** Names of further variables of `env` the program may see (its API keys, say). */
  passEnv?: readonly string[]
  /** Where PATH, HOME, LANG, TMPDIR and the passEnv variables are read from. */
  env: NodeJS.ProcessEnv
  cwd?: string
  /** Values to mask in error messages (the values of passed variables that look like credentials are masked too). */
  secrets?: readonly string[]
  maxOutputBytes?: number
}

/** The exit code a program uses to say "try again later" (sysexits.h EX_TEMPFAIL). */
export const EX_TEMPFAIL = 75

/**
 * Any program as an agent, uwf-style: the prompt on stdin, the answer on stdout. The program
 * sees only PATH, HOME, LANG, TMPDIR, the variables named in passEnv and the call's DWF_*
 * variables. stdout is the answer as is, or a JSON envelope with the answer and real usage:
 * `{"result": "...", "usage": {"input_tokens": 1, "output_tokens": 2}, "cost_usd": 0.01, "model": "m", "json": {...}}`.
 */
export function createCommandProvider(options: CommandProviderOptions): AgentProvider {
  const passEnv = options.passEnv ?? []
  return {
    name: 'command',
    canEdit: true,
    defaultModel: 'default',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const env = commandEnv(options.env, passEnv, request)
      const secrets = [...(options.secrets ?? []), ...secretValues(pickEnv(options.env, passEnv))]
      const prompt = promptWithSchema(request)
      const shown = `agent command \`${shortCommand(redact(options.command, secrets))}\``
      const result = await runProcess({
        command: '/bin/sh',
        name: `the ${shown}`,
        args: ['-c', options.command],
        env,
        cwd: request.cwd ?? options.cwd,
        stdin: prompt,
        signal,
        onActivity: request.onActivity,
        maxOutputBytes: options.maxOutputBytes,
      })
      if (result.code !== 0) {
        const detail = tail(redact(result.stderr || result.stdout, secrets))
        const how = result.code === null ? `was killed by ${result.signal}` : result.code === 127 ? `exited with code 127 (command not found?)` : `exited with code ${result.code}`
        throw new WorkflowError('PROVIDER', `${shown} ${how}${detail ? `: ${detail}` : ''}`, {
          transient: result.code === EX_TEMPFAIL,
        })
      }
      return parseCommandOutput(result.stdout, prompt, request)
    },
  }
}

function shortCommand(command: string): string {
  return command.length > 80 ? command.slice(0, 77) + '...' : command
}

/** Exactly the environment the program gets. */
export function commandEnv(env: NodeJS.ProcessEnv, passEnv: readonly string[], request: AgentRequest): Record<string, string> {
  const child: Record<string, string> = { ...pickEnv(env, BASE_ENV), ...pickEnv(env, passEnv) }
  child.DWF_MODEL = request.model
  child.DWF_LABEL = request.label ?? ''
  child.DWF_IDENTITY_HASH = request.identityHash
  if (request.schema) child.DWF_SCHEMA = JSON.stringify(request.schema)
  if (request.system !== undefined) child.DWF_SYSTEM = request.system
  return child
}

const ANSWER_KEYS = ['result', 'text', 'output'] as const

/**
 * The answer from a program's stdout: a JSON envelope (`result`/`text`/`output`, `usage`,
 * `cost_usd`, `model`, `json`) or plain text. With a schema, a JSON object that itself
 * matches the schema is the answer, even when it happens to have a `text` field.
 */
export function parseCommandOutput(stdout: string, prompt: string, request: AgentRequest): AgentResponse {
  const trimmed = stdout.trim()
  const envelope = parseObject(trimmed)
  if (!envelope) return { text: trimmed, usage: estimatedUsage(prompt, trimmed), model: request.model }
  const hasJson = Object.prototype.hasOwnProperty.call(envelope, 'json') && envelope.json !== undefined
  // ajv and JSON.stringify recurse: nothing here touches a too-deep envelope; the engine refuses its JSON by name, its usage counted.
  const deep = tooDeep(envelope)
  const isAnswer = request.schema !== undefined && !deep && schemaErrors(request.schema, envelope).length === 0
  const key = ANSWER_KEYS.find((k) => typeof envelope[k] === 'string')
  if (!isAnswer && (key || hasJson)) {
    const text = key ? (envelope[key] as string) : deep ? trimmed : JSON.stringify(envelope.json)
    const model = typeof envelope.model === 'string' && envelope.model ? envelope.model : request.model
    return { text, ...(hasJson ? { json: envelope.json } : {}), usage: reportedUsage(envelope, prompt, text), model }
  }
  if (request.schema !== undefined && deep) return { text: trimmed, json: envelope, usage: reportedUsage(envelope, prompt, trimmed), model: request.model }
  return { text: trimmed, usage: estimatedUsage(prompt, trimmed), model: request.model }
}

/** The envelope's usage and cost; estimated from the texts when it reports none. */
function reportedUsage(envelope: Record<string, unknown>, prompt: string, answer: string): ProviderUsage {
  const usage = usageOf(envelope.usage) ?? estimatedUsage(prompt, answer)
  const cost = count(envelope.cost_usd) ?? count(envelope.costUsd)
  if (cost !== undefined) usage.costUsd = cost
  return usage
}

function estimatedUsage(prompt: string, answer: string): ProviderUsage {
  return { inputTokens: estimateTokens(prompt), outputTokens: estimateTokens(answer) }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** `{input_tokens, output_tokens}` or `{inputTokens, outputTokens}` (cache counts too, in either spelling). */
function usageOf(value: unknown): ProviderUsage | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const u = value as Record<string, unknown>
  const input = count(u.input_tokens) ?? count(u.inputTokens)
  const output = count(u.output_tokens) ?? count(u.outputTokens)
  if (input === undefined || output === undefined) return undefined
  const usage: ProviderUsage = { inputTokens: input, outputTokens: output }
  const cacheRead = count(u.cache_read_input_tokens) ?? count(u.cacheReadTokens)
  const cacheWrite = count(u.cache_creation_input_tokens) ?? count(u.cacheWriteTokens)
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite
  return usage
}
