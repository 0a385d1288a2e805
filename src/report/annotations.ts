import type { ErrorCode, ErrorInfo } from '../core/errors.js'
import type { RunSnapshot } from './snapshot.js'

/** A message to pin on the script in the run's view (the Action turns these into ::error / ::warning). */
export interface Annotation {
  level: 'error' | 'warning'
  title: string
  message: string
  /** 1-based line in the workflow script, when known. */
  line?: number
  column?: number
}

/** GitHub shows at most 10 annotations of each level per step; more only hide the summary line. */
export const MAX_ANNOTATIONS = 10

/** Limits the run hit: its own budget, not a bug in the script or a provider. */
const LIMIT_CODES: ReadonlySet<ErrorCode> = new Set(['BUDGET_EXHAUSTED', 'MAX_AGENTS'])

/**
 * The annotations of a finished run: an error for each failed call and for the script's
 * own error (once, when the run's error is a call's error rethrown), a warning for a budget
 * or agent limit and for each problem of the run's machinery (a torn journal line, a failed
 * compaction). Pure: data from a snapshot.
 */
export function annotationsOf(snapshot: RunSnapshot): Annotation[] {
  const errors: Annotation[] = []
  const warnings: Annotation[] = []
  const seen = new Set<string>()
  const add = (annotation: Annotation) => {
    const key = `${annotation.title}:${annotation.line}:${annotation.message}`
    if (seen.has(key)) return
    seen.add(key)
    ;(annotation.level === 'error' ? errors : warnings).push(annotation)
  }
  for (const agent of snapshot.agents) {
    if (agent?.state !== 'failed' || !agent.error) continue
    add(fromError(agent.error, `agent '${agent.label}' failed`, agent.line))
  }
  const runError = snapshot.error
  // A call's failure the script did not catch comes back as the run's error: say it once.
  const rethrown = runError && snapshot.agents.some((a) => a?.state === 'failed' && a.error && a.line === runError.line && runError.message.includes(a.error.message))
  if (runError && runError.code !== 'STOPPED' && !rethrown) add(fromError(runError, `${snapshot.name} failed`))
  for (const message of snapshot.warnings) add({ level: 'warning', title: `${snapshot.name}: warning`, message })
  return [...capped(errors), ...capped(warnings)]
}

function fromError(error: ErrorInfo, title: string, fallbackLine?: number): Annotation {
  const limit = LIMIT_CODES.has(error.code)
  const line = error.line ?? fallbackLine
  return {
    level: limit ? 'warning' : 'error',
    title: limit ? 'Budget or agent limit reached' : title,
    message: `${error.code}: ${error.message}`,
    ...(line !== undefined ? { line } : {}),
    ...(error.column !== undefined && error.line !== undefined ? { column: error.column } : {}),
  }
}

/** The first MAX_ANNOTATIONS - 1 and, past the cap, one that says how many more there are. */
function capped(list: Annotation[]): Annotation[] {
  if (list.length <= MAX_ANNOTATIONS) return list
  const shown = list.slice(0, MAX_ANNOTATIONS - 1)
  const rest = list.length - shown.length
  return [...shown, { level: list[0]!.level, title: `${rest} more`, message: `and ${rest} more ${list[0]!.level === 'error' ? 'errors' : 'warnings'}: see the job summary and the run's log` }]
}
