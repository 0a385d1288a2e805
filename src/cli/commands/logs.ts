import { sleep } from '../../engine/sleep.js'
import { startCommand, type CommandSpec } from '../command.js'
import type { CliIO } from '../execute-run.js'
import { isAlive } from '../pid-marker.js'

const LOGS: CommandSpec = {
  name: 'logs',
  synopsis: 'dwf logs <runId> [-f]',
  summary: "Prints a run's log (one line per event); -f follows it until the run ends.",
  flags: { follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until the run ends' } },
  positionals: { min: 1, max: 1 },
}

export async function logs(argv: string[], io: CliIO): Promise<number> {
  const command = startCommand(LOGS, argv, io)
  if (!command) return 0
  const { flags, state } = command
  const info = state.require(command.positionals[0])
  let offset = 0
  // Each read is checked again: the log must never turn into a link to a file it would print.
  const printNew = () => {
    const bytes = state.readRunBytes(info.runId, 'log.txt', offset)
    if (!bytes?.length) return
    io.stdout.write(bytes)
    offset += bytes.length
  }
  printNew()
  if (!flags.follow) return 0
  while (info.marker && isAlive(info.marker)) {
    await sleep(200)
    printNew()
  }
  printNew()
  return 0
}
