import { safeJsonLine, safeLine } from '../../report/safe-text.js'
import { renderStatus } from '../../report/terminal.js'
import { jsonFlag, type CommandSpec, defineRunCommand } from '../command.js'
import { UsageError } from '../exit.js'
import { useColor } from '../../runner/progress.js'

const STATUS: Omit<CommandSpec, 'positionals' | 'argument'> = { name: 'status', summary: 'Shows where a run stands: phases, every agent, totals, errors.', flags: { json: jsonFlag('print the run snapshot as JSON') } }

export const status = defineRunCommand(STATUS, async (info, { flags }, io) => {
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
})

function resumeHint(runId: string): string {
  return `the run's process ended without finishing (killed?); its completed calls are journaled: dwf resume ${runId}\n`
}
