import type { CliIO } from '../execute-run.js'
import { executeRun, prepareRun } from '../execute-run.js'
import { parseFlags } from '../flags.js'
import { resolveStateDir, StateDir } from '../state-dir.js'

/** Internal: the detached process behind `run --background`. Its output goes to the run's files. */
export async function worker(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags('__worker', argv, { 'state-dir': { type: 'string', help: '' } }, { min: 1, max: 1 })
  const state = new StateDir(resolveStateDir(flags['state-dir'] as string | undefined, io.env, io.cwd))
  const runId = positionals[0]!
  const invocation = state.require(runId).invocation
  if (!invocation) throw new Error(`run ${runId} has no invocation.json`)
  const prepared = prepareRun(state, invocation, io.env, runId)
  const { outcome } = await executeRun(prepared, io, { quiet: true })
  return outcome.status === 'succeeded' ? 0 : outcome.status === 'stopped' ? 130 : 1
}
