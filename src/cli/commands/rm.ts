import { type CommandSpec, defineRunCommand } from '../command.js'
import { UsageError } from '../exit.js'

const RM: Omit<CommandSpec, 'positionals' | 'argument'> = { name: 'rm', summary: "Removes a finished run's files (its journaled calls stay in the workflow's journal).", flags: {} }

/** Removes a run's directory. The journal is per workflow and is kept. */
export const rm = defineRunCommand(RM, async (info, command, io) => {
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`)
  command.state.removeRun(info.runId)
  io.stderr.write(`removed run ${info.runId}\n`)
  return 0
})
