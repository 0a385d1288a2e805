import type { CliIO } from '../execute-run.js'
import { parseFlags, usage, type FlagSpec } from '../flags.js'
import { useColor } from '../progress.js'
import { renderStatus } from '../../report/terminal.js'
import { resolveStateDir, StateDir } from '../state-dir.js'
import { help } from './run.js'

const FLAGS: Record<string, FlagSpec> = {
  'state-dir': { type: 'string', value: 'DIR', help: 'state directory (default .dynamic-workflow, or DWF_STATE_DIR)' },
  json: { type: 'boolean', help: 'print the run snapshot as JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
}

export async function status(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('status', argv, FLAGS, { min: 1, max: 1 })
  if (flags.help) return help(io, usage('dwf status <runId> [options]', 'Shows where a run stands: phases, every agent, totals, errors.', FLAGS))
  const state = new StateDir(resolveStateDir(flags['state-dir'] as string | undefined, io.env, io.cwd))
  const info = state.require(positionals[0])
  if (!info.snapshot) {
    io.stdout.write(flags.json ? JSON.stringify({ runId: info.runId, status: info.shown }) + '\n' : `run ${info.runId}: ${info.shown} (it has not reported progress yet)\n`)
    return 0
  }
  if (flags.json) {
    io.stdout.write(JSON.stringify({ ...info.snapshot, status: info.shown }) + '\n')
    return 0
  }
  io.stdout.write(renderStatus(info.snapshot, info.shown, { color: useColor(io.stdout, io.env) }, io.stdout.columns || 100) + '\n')
  if (info.shown === 'interrupted') io.stdout.write(`\nthe run's process ended without finishing (killed?); its completed calls are journaled: dwf resume ${info.runId}\n`)
  return 0
}
