import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { executeRun } from '../../runner/execute-run.js'
import { type CommandSpec, defineCommand } from '../command.js'
import { argsFlag, RUN_FLAGS, runFlags } from '../run-flags.js'
import { safeJsonLine } from '../../report/safe-text.js'
import { type CliIO } from '../io.js'
import { type PreparedRun, createRunDir, prepareRun } from '../../runner/prepare-run.js'
import { reportRunEnd } from '../run-end.js'

const RUN: CommandSpec = { name: 'run', argument: '<script>', summary: 'Runs a workflow script. Completed agent calls are journaled; running it again replays them.', flags: RUN_FLAGS, positionals: { min: 1, max: 1 } }

export const run = defineCommand(RUN, async (command, io) => {
  const { flags, state } = command
  const scriptArg = command.positionals[0]!
  const prepared = prepareRun(
    state,
    { script: path.resolve(io.cwd, scriptArg), scriptDisplay: scriptArg, cwd: io.cwd, args: argsFlag(flags, io.cwd) ?? {}, flags: runFlags(flags, io.cwd) },
    io.env,
  )
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json))
  const executed = await executeRun(prepared, io)
  return reportRunEnd(prepared, executed, io, Boolean(flags.json))
})

/** Starts a detached worker for the run and returns at once; the worker keeps a PID marker. */
export function startInBackground(prepared: PreparedRun, io: CliIO, json: boolean): number {
  const { state, runId } = prepared
  createRunDir(prepared)
  const log = state.openRunFileForAppend(runId, 'worker.log')
  const child = spawn(process.execPath, [process.argv[1]!, '__worker', runId, '--state-dir', state.root], {
    cwd: prepared.invocation.cwd,
    env: io.env,
    detached: true,
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  // Written now, so `status` right after this command already sees a live run.
  state.writePidMarker(runId, child.pid!)
  child.unref()
  if (json) io.stdout.write(safeJsonLine({ runId, name: prepared.script.meta.name, status: 'running', pid: child.pid }) + '\n')
  else
    io.stderr.write(
      [
        `started ${prepared.script.meta.name} run ${runId} in the background (pid ${child.pid})`,
        `  dwf status ${runId}     progress`,
        `  dwf logs -f ${runId}    follow the log`,
        `  dwf stop ${runId}       stop it (completed calls stay journaled)`,
      ].join('\n') + '\n',
    )
  if (prepared.selection.notice && !json) io.stderr.write(prepared.selection.notice + '\n')
  return 0
}
