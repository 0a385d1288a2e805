import { safeText } from '../../report/safe-text.js'
import { type CommandSpec, defineRunCommand } from '../command.js'

const DIFF: Omit<CommandSpec, 'positionals' | 'argument'> = {
  name: 'diff',
  summary: "Prints what a run changed in the working directory, as a patch (its runs/<id>/changes.patch, which `git apply` takes).",
  flags: {},
}

/** The run's changes. Printed as untrusted text: file contents can hold escape sequences. */
export const diff = defineRunCommand(DIFF, async (info, { state }, io) => {
  const patch = state.readRunText(info.runId, 'changes.patch')
  if (patch === undefined || patch === '') {
    io.stderr.write(`run ${info.runId} changed no files\n`)
    return 0
  }
  io.stdout.write(safeText(patch))
  return 0
})
