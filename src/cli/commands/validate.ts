import path from 'node:path'
import { jsonFlag, type CommandSpec, defineCommand } from '../command.js'
import { safeJsonLine, safeLine } from '../../report/safe-text.js'
import { loadScriptOrExplain, readScriptFile } from '../../runner/prepare-run.js'

const VALIDATE: CommandSpec = { name: 'validate', argument: '<script>', summary: 'Checks a workflow script (syntax, meta, sandbox rules) without running it.', flags: { json: jsonFlag('print the meta as JSON') }, positionals: { min: 1, max: 1 }, usesState: false }

/** Checks a script without running anything: syntax, the literal meta, sandbox rules. */
export const validate = defineCommand(VALIDATE, async (command, io) => {
  const { flags } = command
  const display = command.positionals[0]!
  const { meta } = loadScriptOrExplain(readScriptFile(path.resolve(io.cwd, display), display), display)
  if (flags.json) io.stdout.write(safeJsonLine({ ok: true, script: display, meta }) + '\n')
  else {
    const phases = meta.phases?.length ? `; phases: ${meta.phases.map((p) => safeLine(p.title)).join(' → ')}` : ''
    io.stdout.write(`✓ ${safeLine(display)}: workflow '${meta.name}'${meta.description ? ` — ${safeLine(meta.description)}` : ''}${phases}\n`)
  }
  return 0
})
