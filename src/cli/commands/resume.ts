import type { CliIO } from '../execute-run.js'
import { executeRun, prepareRun, reportRunEnd } from '../execute-run.js'
import { UsageError } from '../exit.js'
import { parseArgsFlag, parseFlags, usage } from '../flags.js'
import { resolveStateDir, StateDir } from '../state-dir.js'
import { help, RUN_FLAGS, runFlags, startInBackground } from './run.js'

const USAGE = usage(
  'dwf resume <runId> [options]',
  "Runs a run's script again with its args and flags (options given here override them). Calls completed before replay from the journal; only the rest run live. The script may have been edited since.",
  RUN_FLAGS,
)

export async function resume(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('resume', argv, RUN_FLAGS, { min: 1, max: 1 })
  if (flags.help) return help(io, USAGE)
  const state = new StateDir(resolveStateDir(flags['state-dir'] as string | undefined, io.env, io.cwd))
  const info = state.require(positionals[0])
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`)
  const previous = info.invocation
  if (!previous) throw new UsageError(`run ${info.runId} has no invocation record, so it cannot be resumed; run its script with dwf run`)
  const prepared = prepareRun(
    state,
    {
      ...previous,
      args: flags.args === undefined ? previous.args : parseArgsFlag(flags.args as string, io.cwd),
      flags: runFlags(flags, previous.flags),
      resumedFrom: info.runId,
    },
    io.env,
  )
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json))
  const executed = await executeRun(prepared, io)
  return reportRunEnd(prepared, executed, io, Boolean(flags.json))
}
