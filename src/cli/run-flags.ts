import { SETTINGS, settingsOf, type SettingKey, type SettingSpec } from '../core/settings.js'
import type { RunFlags } from '../runner/invocation.js'
import { parseSetting } from '../runner/settings-parse.js'
import { jsonFlag } from './command.js'
import type { FlagSpec, Flags } from './flags.js'
import { flagHelp } from './setting-help.js'

/** `--name` of every run setting that has a flag, from the settings table. */
function settingFlags(): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = {}
  for (const key of settingsOf('run')) {
    const spec: SettingSpec = SETTINGS[key]
    if (spec.flag) out[spec.flag] = { type: 'string', value: spec.value, help: flagHelp(spec) }
    if (spec.negatedFlag) out[spec.negatedFlag] = { type: 'boolean', help: spec.help }
  }
  return out
}

/** Flags that shape a run; `resume` accepts them too, as overrides. */
export const RUN_FLAGS: Record<string, FlagSpec> = {
  ...settingFlags(),
  background: { type: 'boolean', help: 'Start a detached worker and return at once; dwf status, dwf logs -f and dwf stop follow it.' },
  json: jsonFlag('Print one JSON object with the outcome on stdout, on one line (the exact result; `##[` and control characters inside strings as \\u escapes).'),
}

/** The run settings given as flags, checked; only those given are set, so `resume` can overlay them. */
export function runFlags(flags: Flags, cwd: string, base: RunFlags = { replay: true }): RunFlags {
  const given: Record<string, unknown> = {}
  for (const key of settingsOf('run')) {
    const spec: SettingSpec = SETTINGS[key]
    if (key === 'args') continue
    const raw = spec.flag === undefined ? undefined : flags[spec.flag]
    if (typeof raw === 'string') given[key] = parseSetting(key as SettingKey, raw, { from: 'flag', cwd })
    if (spec.negatedFlag && flags[spec.negatedFlag]) given[key] = false
  }
  return { ...base, ...given }
}

/** `--args`, read and checked; undefined when not given. */
export function argsFlag(flags: Flags, cwd: string): unknown {
  const raw = flags[SETTINGS.args.flag]
  return typeof raw === 'string' ? parseSetting('args', raw, { from: 'flag', cwd }) : undefined
}
