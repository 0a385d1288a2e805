import { parseFlags, usage, type FlagSpec, type Flags } from './flags.js'
import { SETTINGS } from '../core/settings.js'
import { resolveStateDir, StateDir } from '../runner/state-dir.js'
import { flagHelp } from './setting-help.js'
import { type CliIO } from './io.js'

/** What every command declares: its help text, flags and arguments. */
export interface CommandSpec {
  name: string
  synopsis: string
  summary: string
  flags: Record<string, FlagSpec>
  positionals: { min: number; max: number }
  /** False for a command that keeps no state (validate): no --state-dir in its flags. */
  usesState?: boolean
}

/** Flags most commands share, declared once. */
export const STATE_DIR_FLAG: FlagSpec = { type: 'string', value: SETTINGS.stateDir.value, help: flagHelp(SETTINGS.stateDir) }
export const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', help: 'Show this help.' }
export const jsonFlag = (help: string): FlagSpec => ({ type: 'boolean', help })

export interface StartedCommand {
  flags: Flags
  positionals: string[]
  state: StateDir
}

/** The full flag table of a command: its own flags, then --state-dir (when it keeps state) and --help. */
export function commandFlags(spec: CommandSpec): Record<string, FlagSpec> {
  return { ...spec.flags, ...(spec.usesState === false ? {} : { 'state-dir': STATE_DIR_FLAG }), help: HELP_FLAG }
}

/** The help text of a command. */
export function commandUsage(spec: CommandSpec): string {
  return usage(spec.synopsis, spec.summary, commandFlags(spec))
}

/**
 * Parses a command's arguments and opens its state directory. Returns undefined after
 * printing the help, when --help was asked for.
 */
export function startCommand(spec: CommandSpec, argv: string[], io: CliIO): StartedCommand | undefined {
  const { flags, positionals } = parseFlags(spec.name, argv, commandFlags(spec), spec.positionals)
  if (flags.help) {
    io.stdout.write(commandUsage(spec) + '\n')
    return undefined
  }
  return { flags, positionals, state: new StateDir(resolveStateDir(flags[SETTINGS.stateDir.flag] as string | undefined, io.env, io.cwd)) }
}
