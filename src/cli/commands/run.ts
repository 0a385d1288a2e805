import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { executeRun } from '../../runner/execute-run.js'
import { jsonFlag, startCommand, type CommandSpec } from '../command.js'
import { parseArgsFlag, parseDuration, parseInteger, parsePositive, type FlagSpec, type Flags } from '../flags.js'
import type { RunFlags } from '../../runner/invocation.js'
import { UsageError } from '../exit.js'
import { safeJsonLine } from '../../report/safe-text.js'
import { type CliIO } from '../io.js'
import { type PreparedRun, createRunDir, prepareRun } from '../../runner/prepare-run.js'
import { reportRunEnd } from '../run-end.js'

/** Flags that shape a run; `resume` accepts them too, as overrides. */
export const RUN_FLAGS: Record<string, FlagSpec> = {
  args: { type: 'string', value: 'JSON|@file', help: 'the script\'s `args` (inline JSON, or @file.json)' },
  agent: { type: 'string', value: 'NAME', help: 'auto (default), mock, command, claude-code, codex, anthropic, openai' },
  command: { type: 'string', value: 'CMD', help: 'the program of the command agent (prompt on stdin, answer on stdout)' },
  config: { type: 'string', value: 'FILE', help: 'tiers, agent types and provider settings (default dynamic-workflow.json)' },
  model: { type: 'string', value: 'M', help: 'default model for calls that do not choose one' },
  concurrency: { type: 'string', value: 'N', help: 'live agent calls at once (default 4)' },
  'max-agents': { type: 'string', value: 'N', help: 'stop the run past this many agent calls (default 1000)' },
  'agent-timeout': { type: 'string', value: 'DUR', help: 'wall-clock limit per agent attempt, e.g. 10m (default none)' },
  'idle-timeout': { type: 'string', value: 'DUR', help: 'stop an agent that produces no output for this long (default none)' },
  'agent-retries': { type: 'string', value: 'N', help: 'retries after a transient provider error (default 2)' },
  'token-budget': { type: 'string', value: 'N', help: 'no new live call once this many tokens are spent' },
  'cost-budget': { type: 'string', value: 'USD', help: 'no new live call once this many dollars are spent' },
  'script-cpu-limit': { type: 'string', value: 'DUR', help: 'synchronous script time allowed, waits excluded (default 30s)' },
  'script-memory-limit': { type: 'string', value: 'MB', help: 'script memory limit (default 256)' },
  'no-replay': { type: 'boolean', help: 'run every call live (results are still journaled)' },
  background: { type: 'boolean', help: 'start a detached worker and return at once' },
  json: jsonFlag('print one JSON object with the outcome on stdout'),
}

const RUN: CommandSpec = {
  name: 'run',
  synopsis: 'dwf run <script> [options]',
  summary: 'Runs a workflow script. Completed agent calls are journaled; running it again replays them.',
  flags: RUN_FLAGS,
  positionals: { min: 1, max: 1 },
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const command = startCommand(RUN, argv, io)
  if (!command) return 0
  const { flags, state } = command
  const scriptArg = command.positionals[0]!
  const prepared = prepareRun(
    state,
    { script: path.resolve(io.cwd, scriptArg), scriptDisplay: scriptArg, cwd: io.cwd, args: parseArgsFlag(flags.args as string | undefined, io.cwd), flags: runFlags(flags) },
    io.env,
  )
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json))
  const executed = await executeRun(prepared, io)
  return reportRunEnd(prepared, executed, io, Boolean(flags.json))
}

/** The checked run flags; only those given are set, so `resume` can overlay them. */
export function runFlags(flags: Flags, base: RunFlags = { replay: true }): RunFlags {
  const str = (name: string) => flags[name] as string | undefined
  // An empty name is a mistake (an unset variable in a shell line), never a choice.
  for (const name of ['agent', 'command', 'config', 'model'])
    if (str(name) !== undefined && str(name)!.trim() === '') throw new UsageError(`option --${name} needs a non-empty value; see dwf run --help`)
  const given: Partial<RunFlags> = {
    agent: str('agent'),
    command: str('command'),
    config: str('config'),
    model: str('model'),
    concurrency: parseInteger('concurrency', str('concurrency'), 1),
    maxAgents: parseInteger('max-agents', str('max-agents'), 1),
    agentTimeoutMs: parseDuration('agent-timeout', str('agent-timeout')),
    idleTimeoutMs: parseDuration('idle-timeout', str('idle-timeout')),
    agentRetries: parseInteger('agent-retries', str('agent-retries'), 0),
    tokenBudget: parseInteger('token-budget', str('token-budget'), 1),
    costBudgetUsd: parsePositive('cost-budget', str('cost-budget')),
    scriptCpuMs: parseDuration('script-cpu-limit', str('script-cpu-limit')),
    scriptMemoryMb: parseInteger('script-memory-limit', str('script-memory-limit'), 16),
    replay: flags['no-replay'] ? false : undefined,
  }
  return { ...base, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) }
}

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
