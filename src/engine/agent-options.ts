import type { JsonSchema } from '../core/provider.js'
import { compileSchema } from '../structured/schema.js'
import { closest } from '../util/closest.js'
import { isRecord } from '../util/objects.js'
import { WorkflowError } from '../core/errors.js'
import { MAX_LABEL_CHARS, MAX_NAME_CHARS, MAX_PHASE_TITLE_CHARS, tooLong } from '../core/limits.js'

/** The options of `agent(prompt, opts)`, checked. */
export interface AgentOptions {
  label?: string
  phase?: string
  model?: string
  tier?: string
  agentType?: string
  schema?: JsonSchema
  system?: string
  timeoutMs?: number
  retries?: number
  cacheKey?: string
  files?: string[]
  /** The call may change files: it runs in a copy of the tree, and its changes land when it completes. */
  edits?: boolean
  /** Material many calls share (a diff, a file), sent first and cached by the provider. */
  context?: string
}

/** What is wrong with an option's value ("must be ..., got ..."), or undefined when it is fine. */
type Check = (value: unknown) => string | undefined

const must = (ok: (v: unknown) => boolean, what: string): Check => (v) => (ok(v) ? undefined : `must be ${what}, got ${describe(v)}`)
/** Options reach agent programs as arguments and variables, which cannot hold a NUL character. */
const NUL = 'contains a NUL character (\\0), which no agent program can be given; remove it'
/** A string that may be passed to an agent program. */
const text: Check = (v) => (typeof v !== 'string' ? `must be a string, got ${describe(v)}` : v.includes('\0') ? NUL : undefined)
/** A non-empty string of at most `max` characters: it is shown in every view and written to every event of the call. */
const shortString = (max: number): Check => (v) =>
  typeof v !== 'string' || v === '' ? `must be a non-empty string, got ${describe(v)}` : v.length > max ? `${tooLong(v.length, max)}; shorten it` : text(v)
const CHECKS: Record<keyof AgentOptions, Check> = {
  label: shortString(MAX_LABEL_CHARS),
  phase: shortString(MAX_PHASE_TITLE_CHARS),
  model: shortString(MAX_NAME_CHARS),
  tier: shortString(MAX_NAME_CHARS),
  agentType: shortString(MAX_NAME_CHARS),
  system: text,
  cacheKey: text,
  schema: must(isRecord, 'a JSON Schema object'),
  timeoutMs: must((v) => typeof v === 'number' && v > 0 && Number.isFinite(v), 'a positive number of milliseconds'),
  retries: must((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10, 'an integer from 0 to 10'),
  files: must((v) => (Array.isArray(v) ? v : [v]).every((f) => typeof f === 'string' && f !== '' && !f.includes('\0')), 'a path or glob, or an array of them'),
  edits: must((v) => typeof v === 'boolean', 'true or false'),
  context: (v) => (typeof v !== 'string' || v === '' ? `must be a non-empty string, got ${describe(v)}` : text(v)),
}
const NAMES = Object.keys(CHECKS)

/**
 * Checks a call's prompt and options as the script passed them. Every mistake is one
 * INVALID_CALL error naming the option and the script line.
 */
export function checkAgentCall(prompt: unknown, options: unknown, line: number | undefined): { prompt: string; options: AgentOptions } {
  const fail = (message: string) => new WorkflowError('INVALID_CALL', `agent(): ${message}`, { line })
  if (typeof prompt !== 'string' || prompt.trim() === '')
    throw fail(`the prompt must be a non-empty string, got ${describe(prompt)}`)
  if (options === undefined || options === null) return { prompt, options: {} }
  if (!isRecord(options)) throw fail(`the options must be an object, got ${describe(options)}`)
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue
    const check = Object.hasOwn(CHECKS, name) ? CHECKS[name as keyof AgentOptions] : undefined
    if (!check) {
      const near = closest(name, NAMES)
      throw fail(`unknown option '${name}'${near ? ` (did you mean '${near}'?)` : ''}; the options are ${NAMES.join(', ')}`)
    }
    const problem = check(value)
    if (problem) throw fail(`option '${name}' ${problem}`)
  }
  const checked = { ...options } as AgentOptions & { files?: string | string[] }
  if (typeof checked.files === 'string') checked.files = [checked.files]
  if (checked.schema) {
    try {
      compileSchema(checked.schema)
    } catch (error) {
      throw fail(`option 'schema' is not a valid JSON Schema: ${(error as Error).message}`)
    }
  }
  return { prompt, options: checked as AgentOptions }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return value === '' ? 'an empty string' : `'${value.length > 40 ? value.slice(0, 40) + '...' : value}'`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}
