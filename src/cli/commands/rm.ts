import fs from 'node:fs'
import type { CliIO } from '../execute-run.js'
import { UsageError } from '../exit.js'
import { parseFlags, usage, type FlagSpec } from '../flags.js'
import { resolveStateDir, StateDir } from '../state-dir.js'
import { help } from './run.js'

const FLAGS: Record<string, FlagSpec> = {
  'state-dir': { type: 'string', value: 'DIR', help: 'state directory (default .dynamic-workflow, or DWF_STATE_DIR)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
}

/** Removes a run's directory. The journal is per workflow and is kept. */
export async function rm(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('rm', argv, FLAGS, { min: 1, max: 1 })
  if (flags.help) return help(io, usage('dwf rm <runId> [options]', "Removes a finished run's files (its journaled calls stay in the workflow's journal).", FLAGS))
  const state = new StateDir(resolveStateDir(flags['state-dir'] as string | undefined, io.env, io.cwd))
  const info = state.require(positionals[0])
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`)
  fs.rmSync(state.runDir(info.runId), { recursive: true, force: true })
  io.stderr.write(`removed run ${info.runId}\n`)
  return 0
}
