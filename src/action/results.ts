import type { RunOutcome } from '../core/events.js'
import { annotationsOf } from '../report/annotations.js'
import { renderJson } from '../report/json.js'
import { renderInvalid } from '../report/markdown.js'
import type { RunSnapshot } from '../report/snapshot.js'
import type { ActionCore, AnnotationProperties } from './core-port.js'
import { Outputs } from './inputs.js'
import type { Log } from './log.js'

/** What the step reports about a run: its outputs, its annotations, the failure of a run that could not start. */

export const RESUME_HINT = 'Completed agent calls are journaled: re-run the failed jobs to resume, and only the remaining calls run live.'

/** GitHub refuses a step output over 1 MB: a larger result is `null` there, and said so. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024

/** The outputs: the same figures as the CLI's --json. */
export function setOutputs(core: Pick<ActionCore, 'setOutput'>, runId: string, snapshot: RunSnapshot, outcome: RunOutcome, log: Log): void {
  const json = renderJson(snapshot, outcome)
  const { status, agents, tokens } = json
  const set = (name: string, value: string) => core.setOutput(name, value)
  set(Outputs.status, status)
  set(Outputs.result, resultOutput(outcome.result, log))
  set(Outputs.runId, runId)
  set(Outputs.agentsTotal, String(agents.total))
  set(Outputs.agentsLive, String(agents.live))
  set(Outputs.agentsReplayed, String(agents.replayed))
  set(Outputs.agentsFailed, String(agents.failed))
  set(Outputs.tokens, String(tokens.input + tokens.output))
  set(Outputs.costUsd, String(json.costUsd))
  set(Outputs.savedCostUsd, String(json.saved.costUsd))
  set(Outputs.changedFiles, changedFilesOutput(json.changes?.files ?? [], log))
}

/** The changed paths as a JSON array; past the output limit, the first ones that fit (the run's changes.patch has all). */
function changedFilesOutput(files: string[], log: Log): string {
  const text = JSON.stringify(files)
  if (Buffer.byteLength(text) <= OUTPUT_LIMIT_BYTES) return text
  const kept: string[] = []
  let bytes = 2
  for (const file of files) {
    bytes += Buffer.byteLength(JSON.stringify(file)) + 1
    if (bytes > OUTPUT_LIMIT_BYTES) break
    kept.push(file)
  }
  log.warning(`The run changed ${files.length} files, more than the changed-files output may list (1 MB): it lists the first ${kept.length}; changes.patch in the run-state artifact has them all.`)
  return JSON.stringify(kept)
}

function resultOutput(result: unknown, log: Log): string {
  const text = JSON.stringify(result ?? null)
  const bytes = Buffer.byteLength(text)
  if (bytes <= OUTPUT_LIMIT_BYTES) return text
  log.warning(`The result is ${(bytes / 1024 / 1024).toFixed(1)} MB of JSON, more than a step output may hold (1 MB): the result output is null; the whole result is in result.json of the run-state artifact.`)
  return 'null'
}

/** Failed calls and script errors as ::error on the script's line (`script`: from the repository's root); budget and machinery problems as ::warning. */
export function annotate(core: Pick<ActionCore, 'error' | 'warning'>, script: string, snapshot: RunSnapshot): void {
  for (const a of annotationsOf(snapshot)) {
    const properties: AnnotationProperties = { title: a.title, ...(a.line !== undefined ? { file: script, startLine: a.line } : {}), ...(a.column !== undefined ? { startColumn: a.column } : {}) }
    if (a.level === 'error') core.error(a.message, properties)
    else core.warning(a.message, properties)
  }
}

/** A user mistake found before the run starts: one clear failure, and the summary says so. */
export async function reportInvalid(core: Pick<ActionCore, 'setFailed' | 'summary'>, message: string): Promise<void> {
  core.setFailed(message)
  await core.summary(renderInvalid(message))
}
