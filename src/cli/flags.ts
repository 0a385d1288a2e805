import path from 'node:path'
import { parseArgs } from 'node:util'
import { durationMs } from '../util/duration.js'
import { UsageError } from './exit.js'
import { checkDepth, MAX_ARGS_FILE_BYTES, readInputFile } from '../runner/input-files.js'
import { closest } from '../util/closest.js'

export interface FlagSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Placeholder shown in help, e.g. "N" or "DUR". */
  value?: string
  help: string
}

export type Flags = Record<string, string | boolean | undefined>

/** Parses argv against a command's flags; every mistake is a UsageError that names the flag. */
export function parseFlags(command: string, argv: string[], specs: Record<string, FlagSpec>, positionals: { min: number; max: number }): { flags: Flags; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]))
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(rewordParseError(command, error as Error & { code?: string }, Object.keys(specs)))
  }
  const given = parsed.positionals
  if (parsed.values.help) return { flags: parsed.values as Flags, positionals: given }
  if (given.length < positionals.min) throw new UsageError(`\`dwf ${command}\` needs ${positionals.min === 1 ? 'an argument' : `${positionals.min} arguments`}; see dwf ${command} --help`)
  if (given.length > positionals.max) throw new UsageError(`unexpected argument '${given[positionals.max]}' for \`dwf ${command}\`; see dwf ${command} --help`)
  return { flags: parsed.values as Flags, positionals: given }
}

function rewordParseError(command: string, error: Error & { code?: string }, names: string[]): string {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1]
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const near = closest(option.replace(/^-+/, ''), names)
    return `unknown option ${option} for \`dwf ${command}\`${near ? ` (did you mean --${near}?)` : ''}; see dwf ${command} --help`
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option && /does not take an argument/.test(error.message))
    return `option ${option} takes no value (write ${option.split('=')[0]} alone); see dwf ${command} --help`
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `option ${option} needs a value; see dwf ${command} --help`
  return `${error.message} (see dwf ${command} --help)`
}

/** Help text of a command from its flag table. */
export function usage(synopsis: string, summary: string, specs: Record<string, FlagSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => [`${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ' ' + spec.value : ''}`, spec.help] as const)
  const width = Math.max(...rows.map(([left]) => left.length))
  return [`usage: ${synopsis}`, '', summary, '', 'options:', ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`)].join('\n')
}

export function parseInteger(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number from ${min} up, got '${value}'`)
  return n
}

export function parsePositive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.replace(/^\$/, ''))
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got '${value}'`)
  return n
}

/** "90s", "5m", "1500ms", "1h"; a bare number is seconds. Returns milliseconds. */
export function parseDuration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = durationMs(value)
  if (ms === undefined) throw new UsageError(`--${flag} must be a duration like 90s, 5m or 1500ms, got '${value}'`)
  return ms
}

/** `--args`: inline JSON, or @file with JSON in it (up to MAX_ARGS_FILE_BYTES), nested at most MAX_JSON_DEPTH levels. */
export function parseArgsFlag(value: string | undefined, cwd: string): unknown {
  if (value === undefined) return {}
  let text = value
  let where = '--args'
  if (value.startsWith('@')) {
    where = `--args file ${value.slice(1)}`
    text = readInputFile(path.resolve(cwd, value.slice(1)), where, MAX_ARGS_FILE_BYTES, `${where} was not found`)
  }
  let args: unknown
  try {
    args = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${(error as Error).message}`)
  }
  checkDepth(args, where)
  return args
}
