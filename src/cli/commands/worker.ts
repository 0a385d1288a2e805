import { type CommandSpec, defineCommand } from '../command.js'
import { executeRun } from '../../runner/execute-run.js'
import { prepareRun } from '../../runner/prepare-run.js'

const WORKER: CommandSpec = { name: '__worker', argument: '<runId>', summary: 'internal', flags: {}, positionals: { min: 1, max: 1 } }

/** Internal: the detached process behind `run --background`. Its output goes to the run's files. */
export const worker = defineCommand(WORKER, async (command, io) => {
  const { state } = command
  const runId = command.positionals[0]!
  const invocation = state.require(runId).invocation
  if (!invocation) throw new Error(`run ${runId} has no invocation.json`)
  const prepared = prepareRun(state, invocation, io.env, runId)
  const { outcome } = await executeRun(prepared, io, { quiet: true })
  return outcome.status === 'succeeded' ? 0 : outcome.status === 'stopped' ? 130 : 1
})
