import path from 'node:path'
import { formatDuration, plural } from '../report/format.js'
import { renderJson } from '../report/json.js'
import { neutraliseCommands, safeJsonLine, safeLine, safeText } from '../report/safe-text.js'
import { formatChanges, formatEffects, formatError, formatTotals } from '../report/terminal.js'
import type { ExecutedRun } from '../runner/execute-run.js'
import type { PreparedRun } from '../runner/prepare-run.js'
import { useColor } from '../runner/progress.js'
import { EXIT } from './exit.js'
import type { CliIO } from './io.js'

/** Prints the end of a run (summary on stderr; result or JSON on stdout) and returns the exit code. */
export function reportRunEnd(prepared: PreparedRun, run: ExecutedRun, io: CliIO, json: boolean): number {
  const { snapshot, outcome } = run
  const style = { color: useColor(io.stderr, io.env) }
  const took = formatDuration((snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt)
  const lines: string[] = []
  const journalFile = path.relative(io.cwd, prepared.state.journalFile(snapshot.name)) || prepared.state.journalFile(snapshot.name)
  const name = safeLine(snapshot.name)
  if (outcome.status === 'succeeded') lines.push(`✓ ${name} succeeded in ${took}`)
  else if (outcome.status === 'stopped') lines.push(`■ ${name} stopped after ${took}`)
  else lines.push(`✗ ${name} failed after ${took}`, `  error: ${safeText(formatError(snapshot, outcome.error!))}`)
  lines.push(`  ${formatTotals(snapshot, style)}`)
  const changes = formatChanges(snapshot)
  if (changes) lines.push(`  ${changes} · dwf diff ${snapshot.runId}`)
  const effects = formatEffects(snapshot)
  if (effects) lines.push(`  ${effects} (dwf only shows it: see dwf status ${snapshot.runId})`)
  if (outcome.status !== 'succeeded') {
    const done = snapshot.totals.agents.live + snapshot.totals.agents.replayed
    lines.push(
      `  ${plural(done, 'completed call')} ${done === 1 ? 'is' : 'are'} in the journal (${journalFile}). ` +
        `${outcome.status === 'stopped' ? 'Continue' : 'Fix the cause and continue'} with \`dwf resume ${snapshot.runId}\` or by running the same command again: they replay for free.`,
    )
  }
  lines.push(`  run ${snapshot.runId} · dwf status ${snapshot.runId}`)
  io.stderr.write(neutraliseCommands(lines.join('\n')) + '\n')
  // --json and result.json keep the exact value; the human-readable result is shown like any untrusted text.
  if (json) io.stdout.write(safeJsonLine(renderJson(snapshot, outcome)) + '\n')
  else if (outcome.status === 'succeeded' && outcome.result !== null && outcome.result !== undefined)
    io.stdout.write(safeText(typeof outcome.result === 'string' ? outcome.result : JSON.stringify(outcome.result, null, 2)) + '\n')
  return outcome.status === 'succeeded' ? EXIT.ok : outcome.status === 'stopped' ? EXIT.stopped : EXIT.failed
}
