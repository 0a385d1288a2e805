import type { SETTINGS, SettingKey, SettingValue } from '../core/settings.js'

/** How a run was started: enough for `resume` and for a background worker to run it again. */
export interface Invocation {
  /** Workflow name (meta.name), known before the run starts. */
  name: string
  /** Absolute path of the script. */
  script: string
  /** The path as the user typed it, for messages. */
  scriptDisplay: string
  cwd: string
  args: unknown
  flags: RunFlags
  resumedFrom?: string
}

/** The run settings other than `args` (which an invocation keeps on its own). */
export type RunSettingKey = Exclude<RunGroupKey, 'args'>
type RunGroupKey = { [K in SettingKey]: (typeof SETTINGS)[K]['group'] extends 'run' ? K : never }[SettingKey]

/**
 * A run's settings as given (flags, inputs, or a resumed run's invocation.json); unset ones
 * take the table's defaults when the run starts. The names are the settings table's keys.
 */
export type RunFlags = { [K in RunSettingKey]?: SettingValue<K> } & { replay: boolean }
