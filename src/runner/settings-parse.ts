import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { SETTINGS, type SettingKey, type SettingSpec, type SettingValue } from '../core/settings.js'
import { durationMs } from '../util/duration.js'
import { NESTS_TOO_DEEP } from '../util/json-depth.js'
import { BadInputError } from './bad-input.js'
import { checkDepth, MAX_ARGS_FILE_BYTES, parseJsonInput, readInputFile } from './input-files.js'

/** Where a setting's text came from: a CLI flag, an Action input or a variable. Errors name it. */
export type SettingSource = { from: 'flag'; cwd: string } | { from: 'input' } | { from: 'env' }

/**
 * Reads one setting's text as its kind says, the same way in both shells. Every mistake is
 * one BadInputError naming the flag (`--concurrency must be ...`), the input (`input
 * 'concurrency': must be ...`) or the variable, and saying what it must be.
 */
export function parseSetting<K extends SettingKey>(key: K, raw: string, source: SettingSource): SettingValue<K> {
  const spec: SettingSpec = SETTINGS[key]
  const name = source.from === 'flag' ? spec.flag : source.from === 'input' ? spec.input : spec.env
  const subject = source.from === 'flag' ? `--${name}` : source.from === 'input' ? `input '${name}':` : `${name}`
  const fail = (what: string) => new BadInputError(`${subject} must be ${what}, got '${raw}'`)
  switch (spec.kind) {
    case 'text':
      // An empty flag is a mistake (an unset shell variable), never a choice; an empty input is "not given".
      if (raw.trim() === '') throw new BadInputError(`option --${name} needs a non-empty value; see dwf run --help`)
      return raw as SettingValue<K>
    case 'count':
    case 'seconds': {
      const min = spec.min ?? 0
      const n = Number(raw)
      if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw fail(`a whole number from ${min} up`)
      return (spec.kind === 'seconds' ? n * 1000 : n) as SettingValue<K>
    }
    case 'duration': {
      const ms = durationMs(raw)
      if (ms === undefined) throw fail('a duration like 90s, 10m or 1500ms')
      return ms as SettingValue<K>
    }
    case 'usd': {
      const n = Number(raw.replace(/^\$/, ''))
      if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw fail('a positive number')
      return n as SettingValue<K>
    }
    case 'switch':
      if (/^(true|yes|on|1)$/i.test(raw.trim())) return true as SettingValue<K>
      if (/^(false|no|off|0)$/i.test(raw.trim())) return false as SettingValue<K>
      throw fail('true or false')
    case 'choice':
      if (!spec.choices!.includes(raw.trim())) throw fail(orList(spec.choices!))
      return raw.trim() as SettingValue<K>
    case 'args':
      return (source.from === 'flag' ? argsFromFlag(raw, source.cwd) : argsFromInput(raw)) as SettingValue<K>
  }
}

/** "a, b or c" */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

/** `--args`: inline JSON, or @file with JSON in it (up to MAX_ARGS_FILE_BYTES), nested at most MAX_JSON_DEPTH levels. */
function argsFromFlag(value: string, cwd: string): unknown {
  let text = value
  let where = '--args'
  if (value.startsWith('@')) {
    where = `--args file ${value.slice(1)}`
    text = readInputFile(path.resolve(cwd, value.slice(1)), where, MAX_ARGS_FILE_BYTES, `${where} was not found`)
  }
  return parseJsonInput(text, where)
}

/** The `args` input: JSON or YAML (a YAML block in the workflow file is the natural way to write it). */
function argsFromInput(raw: string): unknown {
  if (raw.trim() === '') return {}
  let args: unknown
  try {
    args = JSON.parse(raw)
  } catch {
    try {
      args = parseYaml(raw) ?? {}
    } catch (error) {
      // The YAML parser stops itself when the nesting outgrows its stack: the same limit, by name.
      if (/call stack/i.test((error as Error).message)) throw new BadInputError(`input 'args': ${NESTS_TOO_DEEP}`)
      throw new BadInputError(`input 'args': is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  checkDepth(args, "input 'args':")
  return args
}
