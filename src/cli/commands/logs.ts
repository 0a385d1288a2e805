import fs from 'node:fs'
import type { CliIO } from '../execute-run.js'
import { parseFlags, usage, type FlagSpec } from '../flags.js'
import { isAlive } from '../pid-marker.js'
import { resolveStateDir, StateDir } from '../state-dir.js'
import { help } from './run.js'
import { sleep } from '../../engine/sleep.js'

const FLAGS: Record<string, FlagSpec> = {
  follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until the run ends' },
  'state-dir': { type: 'string', value: 'DIR', help: 'state directory (default .dynamic-workflow, or DWF_STATE_DIR)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
}

export async function logs(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('logs', argv, FLAGS, { min: 1, max: 1 })
  if (flags.help) return help(io, usage('dwf logs <runId> [-f]', "Prints a run's log (one line per event); -f follows it until the run ends.", FLAGS))
  const state = new StateDir(resolveStateDir(flags['state-dir'] as string | undefined, io.env, io.cwd))
  const info = state.require(positionals[0])
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
