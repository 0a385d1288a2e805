import { parseFlags, usage, type FlagSpec, type Flags } from './flags.js'
import { SETTINGS } from '../core/settings.js'
import { resolveStateDir, StateDir, type RunInfo } from '../runner/state-dir.js'
import { flagHelp } from './setting-help.js'
import { type CliIO } from './io.js'

/** What every command declares: its help text, flags and arguments. */
export interface CommandSpec {
  name: string
  /** The positional argument as the help shows it: `<script>`, `<runId>`. */
  argument?: string
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
  return usage(`dwf ${spec.name}${spec.argument ? ' ' + spec.argument : ''} [options]`, spec.summary, commandFlags(spec))
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

/** What `dwf <name>` runs: (argv, io) → exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>

/**
 * A command from its spec and what it does once its arguments are parsed: the prologue every
 * command shares (parse, answer --help, open the state folder) is here, once.
 */
export function defineCommand(spec: CommandSpec, body: (command: StartedCommand, io: CliIO) => Promise<number>): Command {
  return async (argv, io) => {
    const command = startCommand(spec, argv, io)
    return command ? body(command, io) : 0
  }
}

/** What a run command's body gets: the run, the parsed command and the streams. */
export type RunCommandBody = (run: RunInfo, command: StartedCommand, io: CliIO) => Promise<number>

/**
 * A command that acts on one run, `dwf <name> <runId>`: the run is looked up (a clear error
 * when there is none) before `body` runs. `ownStateOnly` refuses first a state folder with
 * files committed to the repository: such a run's marker names a process to signal, its
 * invocation a program to start.
 */
export function defineRunCommand(spec: Omit<CommandSpec, 'positionals' | 'argument'>, body: RunCommandBody, options: { ownStateOnly?: boolean } = {}): Command {
  return defineCommand({ ...spec, argument: '<runId>', positionals: { min: 1, max: 1 } }, (command, io) => {
    if (options.ownStateOnly) command.state.refuseCommitted()
    return body(command.state.require(command.positionals[0]), command, io)
  })
}
