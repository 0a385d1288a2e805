import { safeJsonLine, safeLine } from '../../report/safe-text.js'
import { renderStatus } from '../../report/terminal.js'
import { jsonFlag, startCommand, type CommandSpec } from '../command.js'
import { UsageError } from '../exit.js'
import { useColor } from '../../runner/progress.js'
import { type CliIO } from '../io.js'

const STATUS: CommandSpec = {
  name: 'status',
  synopsis: 'dwf status <runId> [options]',
  summary: 'Shows where a run stands: phases, every agent, totals, errors.',
  flags: { json: jsonFlag('print the run snapshot as JSON') },
  positionals: { min: 1, max: 1 },
}

export async function status(argv: string[], io: CliIO): Promise<number> {
  const command = startCommand(STATUS, argv, io)
  if (!command) return 0
  const { flags } = command
  const info = command.state.require(command.positionals[0])
  if (!info.snapshot) {
    io.stdout.write(flags.json ? safeJsonLine({ runId: info.runId, status: info.shown }) + '\n' : `run ${safeLine(info.runId)}: ${safeLine(info.shown)} (it has not reported progress yet)\n`)
    if (!flags.json && info.shown === 'interrupted') io.stdout.write(resumeHint(info.runId))
    return 0
  }
  if (flags.json) {
    io.stdout.write(safeJsonLine({ ...info.snapshot, status: info.shown }) + '\n')
    return 0
  }
  let text: string
  try {
    text = renderStatus(info.snapshot, info.shown, { color: useColor(io.stdout, io.env) }, io.stdout.columns || 100)
  } catch (error) {
    // run.json is read from disk, where a checkout can put anything: a clear refusal, no stack.
    throw new UsageError(`run ${info.runId}: its run.json is damaged or was not written by dwf (${(error as Error).message}); \`dwf rm ${info.runId}\` removes the run`)
  }
  io.stdout.write(text + '\n')
  if (info.shown === 'interrupted') io.stdout.write('\n' + resumeHint(info.runId))
  return 0
}

function resumeHint(runId: string): string {
  return `the run's process ended without finishing (killed?); its completed calls are journaled: dwf resume ${runId}\n`
}
