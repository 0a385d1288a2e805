import { startCommand, type CommandSpec } from '../command.js'
import { UsageError } from '../exit.js'
import { type CliIO } from '../io.js'

const RM: CommandSpec = {
  name: 'rm',
  synopsis: 'dwf rm <runId> [options]',
  summary: "Removes a finished run's files (its journaled calls stay in the workflow's journal).",
  flags: {},
  positionals: { min: 1, max: 1 },
}

/** Removes a run's directory. The journal is per workflow and is kept. */
export async function rm(argv: string[], io: CliIO): Promise<number> {
  const command = startCommand(RM, argv, io)
  if (!command) return 0
  const info = command.state.require(command.positionals[0])
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`)
  command.state.removeRun(info.runId)
  io.stderr.write(`removed run ${info.runId}\n`)
  return 0
}
