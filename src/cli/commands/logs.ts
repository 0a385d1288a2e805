import fs from 'node:fs'
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
  const file = state.runFile(info.runId, 'log.txt')
  let offset = 0
  const printNew = () => {
    let size = 0
    try {
      size = fs.statSync(file).size
    } catch {
      return
    }
    if (size <= offset) return
    const fd = fs.openSync(file, 'r')
    try {
      const buffer = Buffer.alloc(size - offset)
      fs.readSync(fd, buffer, 0, buffer.length, offset)
      io.stdout.write(buffer)
      offset = size
    } finally {
      fs.closeSync(fd)
    }
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
