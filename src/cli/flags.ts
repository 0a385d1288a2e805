import { parseArgs } from 'node:util'
import { UsageError } from './exit.js'
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
