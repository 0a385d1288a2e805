import fs from 'node:fs'
import path from 'node:path'
import type { CliIO } from '../execute-run.js'
import { loadScriptOrExplain } from '../execute-run.js'
import { UsageError } from '../exit.js'
import { parseFlags, usage, type FlagSpec } from '../flags.js'
import { help } from './run.js'

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', help: 'print the meta as JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
}

/** Checks a script without running anything: syntax, the literal meta, sandbox rules. */
export async function validate(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('validate', argv, FLAGS, { min: 1, max: 1 })
  if (flags.help) return help(io, usage('dwf validate <script>', 'Checks a workflow script (syntax, meta, sandbox rules) without running it.', FLAGS))
  const display = positionals[0]!
  let source: string
  try {
    source = fs.readFileSync(path.resolve(io.cwd, display), 'utf8')
  } catch {
    throw new UsageError(`script not found: ${display}`)
  }
  const { meta } = loadScriptOrExplain(source, display)
  if (flags.json) io.stdout.write(JSON.stringify({ ok: true, script: display, meta }) + '\n')
  else {
    const phases = meta.phases?.length ? `; phases: ${meta.phases.map((p) => p.title).join(' → ')}` : ''
    io.stdout.write(`✓ ${display}: workflow '${meta.name}'${meta.description ? ` — ${meta.description}` : ''}${phases}\n`)
  }
  return 0
}
