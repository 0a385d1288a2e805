import path from 'node:path'
import type { AgentsConfig } from '../agents/config.js'
import { AgentSelectionError, createProviderSet, selectAgent, type AgentSelection } from '../agents/select.js'
import { WorkflowError } from '../engine/errors.js'
import type { RunEvent } from '../engine/events.js'
import type { ProviderSet } from '../engine/ports.js'
import { runWorkflow, type RunOutcome } from '../engine/run-workflow.js'
import type { RunSnapshot } from '../engine/snapshot.js'
import { checkJournalSize, compactJournalFile, JournalFile, JournalTooLargeError } from '../journal/index.js'
import { renderJson } from '../report/json.js'
import { formatError, formatTotals } from '../report/terminal.js'
import { formatDuration, plural } from '../report/format.js'
import { neutraliseCommands, safeJsonLine, safeLine, safeText } from '../report/safe-text.js'
import { createSandboxProgram, loadScript, type LoadedScript } from '../script/index.js'
import { createWorkspace } from '../workspace/index.js'
import { loadAgentsConfig } from './config-file.js'
import { EXIT, UsageError } from './exit.js'
import type { Invocation } from './invocation.js'
import { checkDepth, MAX_SCRIPT_BYTES, readInputFile } from './limits.js'
import { createProgress, useColor } from './progress.js'
import { RunRecorder } from './run-recorder.js'
import type { StateDir } from './state-dir.js'

/** Streams and environment of one CLI invocation (tests pass their own). */
export interface CliIO {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  cwd: string
}

/** A run whose inputs are all checked: nothing can fail on bad input after this point. */
export interface PreparedRun {
  state: StateDir
  runId: string
  invocation: Invocation
  script: LoadedScript
  selection: AgentSelection
  providers: ProviderSet
  config: AgentsConfig
}

/**
 * Checks everything a run needs before it starts (script, meta, agent), so a user mistake
 * is one clear line and exit 2, and no journaled work is touched.
 */
export function prepareRun(
  state: StateDir,
  invocation: Omit<Invocation, 'name'>,
  env: NodeJS.ProcessEnv,
  runId = state.newRunId(),
  options: { allowMockFallback?: boolean } = {},
): PreparedRun {
  const script = loadScriptOrExplain(readScriptFile(invocation.script, invocation.scriptDisplay), invocation.scriptDisplay)
  // --args and the args input are checked where they are read; these may come from a run's invocation.json.
  checkDepth(invocation.args, 'the args value')
  const { flags } = invocation
  const loaded = loadAgentsConfig(flags.config, invocation.cwd)
  const config = flags.command ? { ...loaded, providers: { ...loaded.providers, command: { ...loaded.providers.command, command: flags.command } } } : loaded
  try {
    // --command alone means: run that program as the agent.
    const selection = selectAgent(flags.agent ?? (flags.command ? 'command' : undefined), env, { allowMockFallback: options.allowMockFallback ?? true })
    const providers = createProviderSet(selection, env, config, invocation.cwd)
    state.prepare(script.meta.name)
    checkJournalSize(state.journalFile(script.meta.name))
    return { state, runId, invocation: { ...invocation, name: script.meta.name }, script, selection, providers, config }
  } catch (error) {
    if (error instanceof AgentSelectionError || error instanceof WorkflowError || error instanceof JournalTooLargeError) throw new UsageError(error.message)
    throw error
  }
}

/** A workflow script's source, up to MAX_SCRIPT_BYTES. */
export function readScriptFile(file: string, display: string): string {
  return readInputFile(file, `the script ${display}`, MAX_SCRIPT_BYTES, `script not found: ${display}`)
}

/** loadScript, with its error as "file:line:col: message". */
export function loadScriptOrExplain(source: string, display: string): LoadedScript {
  try {
    return loadScript(source, display)
  } catch (error) {
    if (error instanceof WorkflowError) throw new UsageError(formatError({ script: display }, error.toInfo()))
    throw error
  }
}

/** Creates the run directory and its invocation record. */
export function createRunDir(prepared: PreparedRun): void {
  const { state, runId } = prepared
  state.createRunDir(runId)
  state.writeRunFile(runId, 'invocation.json', JSON.stringify(prepared.invocation, null, 2) + '\n')
  state.writeRunFile(runId, 'script.js', prepared.script.source)
}

export interface ExecutedRun {
  outcome: RunOutcome
  snapshot: RunSnapshot
}

/**
 * Runs a prepared workflow in this process: journal, progress on stderr, run files, PID
 * marker, and clean stops on SIGINT/SIGTERM (a second Ctrl-C exits at once; every completed
 * call is already fsynced in the journal).
 */
export async function executeRun(prepared: PreparedRun, io: CliIO, options: { quiet?: boolean; onEvent?: (event: RunEvent, snapshot: () => RunSnapshot) => void } = {}): Promise<ExecutedRun> {
  const { state, runId, invocation, script } = prepared
  // Loaded first: a journal that cannot be loaded (too large) refuses the run before it leaves any trace.
  const journal = await openJournal(state.journalFile(script.meta.name), state.root)
  if (!state.hasRunFile(runId, 'invocation.json')) createRunDir(prepared)
  state.writePidMarker(runId, process.pid)
  const recorder = new RunRecorder(state, runId)
  const tty = Boolean(io.stderr.isTTY) && !options.quiet
  const progress = createProgress(io.stderr, recorder, { tty, color: useColor(io.stderr, io.env), quiet: options.quiet })
  if (prepared.selection.notice && !options.quiet) progress.line(prepared.selection.notice)

  const stop = new AbortController()
  let forced = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      progress.line(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping; completed calls stay journaled (Ctrl-C again to quit at once)`)
      stop.abort()
      return
    }
    if (signal === 'SIGINT' && !forced) {
      forced = true
      recorder.abandon(Date.now())
      state.removePidMarker(runId)
      process.exit(EXIT.stopped)
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const flags = invocation.flags
  let outcome: RunOutcome
  try {
    outcome = await runWorkflow({
      runId,
      meta: script.meta,
      script: invocation.scriptDisplay,
      program: createSandboxProgram(script, { cpuMs: flags.scriptCpuMs, memoryBytes: flags.scriptMemoryMb === undefined ? undefined : flags.scriptMemoryMb * 1024 * 1024 }),
      args: invocation.args,
      config: {
        concurrency: flags.concurrency,
        maxAgents: flags.maxAgents,
        agentTimeoutMs: flags.agentTimeoutMs,
        idleTimeoutMs: flags.idleTimeoutMs,
        tiers: prepared.config.tiers,
        agentTypes: prepared.config.agentTypes,
        retries: flags.agentRetries,
        tokenBudget: flags.tokenBudget,
        costBudgetUsd: flags.costBudgetUsd,
        replay: flags.replay,
        model: flags.model,
      },
      providers: prepared.providers,
      journal,
      // The state folder (the clock and the random run id) must stay invisible to the script.
      workspace: createWorkspace(invocation.cwd, { stateDir: state.root }),
      signal: stop.signal,
      onEvent: function show(event) {
        recorder.record(event)
        progress.event(event)
        options.onEvent?.(event, () => recorder.snapshot())
        // Warnings about the journal (torn lines...) go right after the run's header line.
        if (event.type === 'run_started') for (const message of journal.warnings) show({ type: 'warning', at: event.at, message })
      },
    })
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await journal.close()
  }
  await compact(prepared, outcome, recorder)
  const snapshot = recorder.finish(outcome)
  state.removePidMarker(runId)
  progress.finish()
  return { outcome, snapshot }
}

/** The run's journal; one too large to load is a usage error (prepareRun refuses it too, but it may have grown since). */
async function openJournal(file: string, root: string): Promise<JournalFile> {
  try {
    return await JournalFile.open(file, { root })
  } catch (error) {
    if (error instanceof JournalTooLargeError) throw new UsageError(error.message)
    throw error
  }
}

/** Rewrites the journal without unused or invalid lines, unless another live run shares it. */
async function compact(prepared: PreparedRun, outcome: RunOutcome, recorder: RunRecorder): Promise<void> {
  const { state, script, runId } = prepared
  try {
    if (state.otherLiveRuns(script.meta.name, runId).length > 0) return
    await compactJournalFile(state.journalFile(script.meta.name), outcome.usedKeys, undefined, { root: state.root })
  } catch (error) {
    recorder.record({ type: 'warning', at: Date.now(), message: `could not compact the journal: ${(error as Error).message}` })
  }
}

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
