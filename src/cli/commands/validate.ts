import fs from 'node:fs'
import path from 'node:path'
import { jsonFlag, startCommand, type CommandSpec } from '../command.js'
import type { CliIO } from '../execute-run.js'
import { loadScriptOrExplain } from '../execute-run.js'
import { UsageError } from '../exit.js'
import { safeJsonLine, safeLine } from '../../report/safe-text.js'

const VALIDATE: CommandSpec = {
  name: 'validate',
  synopsis: 'dwf validate <script>',
  summary: 'Checks a workflow script (syntax, meta, sandbox rules) without running it.',
  flags: { json: jsonFlag('print the meta as JSON') },
  positionals: { min: 1, max: 1 },
  usesState: false,
}

/** Checks a script without running anything: syntax, the literal meta, sandbox rules. */
export async function validate(argv: string[], io: CliIO): Promise<number> {
  const command = startCommand(VALIDATE, argv, io)
  if (!command) return 0
  const { flags } = command
  const display = command.positionals[0]!
  let source: string
  try {
    source = fs.readFileSync(path.resolve(io.cwd, display), 'utf8')
  } catch {
    throw new UsageError(`script not found: ${display}`)
  }
  const { meta } = loadScriptOrExplain(source, display)
  if (flags.json) io.stdout.write(safeJsonLine({ ok: true, script: display, meta }) + '\n')
  else {
    const phases = meta.phases?.length ? `; phases: ${meta.phases.map((p) => safeLine(p.title)).join(' → ')}` : ''
    io.stdout.write(`✓ ${safeLine(display)}: workflow '${meta.name}'${meta.description ? ` — ${safeLine(meta.description)}` : ''}${phases}\n`)
  }
  return 0
}
