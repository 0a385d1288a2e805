import { type CommandSpec, defineRunCommand } from '../command.js'
import { executeRun } from '../../runner/execute-run.js'
import { UsageError } from '../exit.js'
import { argsFlag, RUN_FLAGS, runFlags } from '../run-flags.js'
import { startInBackground } from './run.js'
import { prepareRun } from '../../runner/prepare-run.js'
import { reportRunEnd } from '../run-end.js'

const RESUME: Omit<CommandSpec, 'positionals' | 'argument'> = { name: 'resume', summary: "Runs a run's script again with its args and flags (options given here override them). Calls completed before replay from the journal; only the rest run live. The script may have been edited since.", flags: RUN_FLAGS }

export const resume = defineRunCommand(RESUME, async (info, { flags, state }, io) => {
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`)
  const previous = info.invocation
  if (!previous) throw new UsageError(`run ${info.runId} has no invocation record, so it cannot be resumed; run its script with dwf run`)
  const prepared = prepareRun(
    state,
    {
      ...previous,
      args: argsFlag(flags, io.cwd) ?? previous.args,
      flags: runFlags(flags, io.cwd, previous.flags),
      resumedFrom: info.runId,
    },
    io.env,
  )
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json))
  const executed = await executeRun(prepared, io)
  return reportRunEnd(prepared, executed, io, Boolean(flags.json))
}, { ownStateOnly: true })
