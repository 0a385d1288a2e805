import type { RunEvent, RunOutcome } from '../core/events.js'
import { runWorkflow } from '../engine/run-workflow.js'
import { compactJournalFile } from '../journal/compact.js'
import { JournalFile } from '../journal/file-store.js'
import { JournalTooLargeError } from '../journal/limits.js'
import type { RunSnapshot } from '../report/snapshot.js'
import { createSandboxProgram } from '../script/sandbox.js'
import { createWorkspace } from '../workspace/workspace.js'
import { BadInputError } from './bad-input.js'
import { createRunDir, type PreparedRun } from './prepare-run.js'
import { createProgress, useColor } from './progress.js'
import { RunRecorder } from './run-recorder.js'
import { runConfigOf, sandboxLimitsOf } from './run-config.js'
import { createRunEdits, removeTreesFolder, summarizeChanges } from './run-edits.js'
import type { RunEdits } from '../edits/run-edits.js'

/** What a run needs from the process that hosts it: where progress goes, and when to stop. */
export interface RunIO {
  /** Progress: a redrawn table on a terminal, one line per event otherwise. */
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  /** Aborting stops the run: in-flight calls end, completed calls stay journaled. The reason names the cause ("SIGINT"). */
  signal?: AbortSignal
  /**
   * Registers what must be done at once if the process has to exit without waiting (a
   * second Ctrl-C): the entry point calls it, synchronously, before it exits. Returns the
   * function that unregisters it.
   */
  onForcedExit?: (abandon: () => void) => () => void
}

export interface ExecutedRun {
  outcome: RunOutcome
  snapshot: RunSnapshot
}

export interface ExecuteOptions {
  quiet?: boolean
  /** Every event, with a way to get the snapshot so far (rendered lazily by the caller). */
  onEvent?: (event: RunEvent, snapshot: () => RunSnapshot) => void
}

/**
 * Runs a prepared workflow in this process: the journal, progress, the run's files and its
 * PID marker. It never installs signal handlers and never exits: the entry point owns the
 * process and stops the run through `io.signal`.
 */
export async function executeRun(prepared: PreparedRun, io: RunIO, options: ExecuteOptions = {}): Promise<ExecutedRun> {
  const { state, runId, invocation, script } = prepared
  // Loaded first: a journal that cannot be loaded (too large) refuses the run before it leaves any trace.
  const journal = await openJournal(state.journalFile(script.meta.name), state.root)
  if (!state.hasRunFile(runId, 'invocation.json')) createRunDir(prepared)
  state.writePidMarker(runId, process.pid)
  const recorder = new RunRecorder(state, runId)
  const progress = createProgress(io.stderr, recorder, { tty: Boolean(io.stderr.isTTY) && !options.quiet, color: useColor(io.stderr, io.env), quiet: options.quiet })
  if (prepared.selection.notice && !options.quiet) progress.line(prepared.selection.notice)
  const onStop = () => progress.line(`${stopCause(io.signal?.reason)}: stopping; completed calls stay journaled${io.onForcedExit ? ' (Ctrl-C again to quit at once)' : ''}`)
  io.signal?.addEventListener('abort', onStop, { once: true })
  // Exiting at once (a second Ctrl-C) still leaves the run marked stopped, not running.
  const unregister = io.onForcedExit?.(() => {
    recorder.abandon(Date.now())
    state.removePidMarker(runId)
  })

  const edits = createRunEdits(invocation.cwd, state, runId, script.meta.name)
  continueLastRun(edits, script.meta.name, options.quiet ? () => {} : (line) => progress.line(line))
  let outcome: RunOutcome
  try {
    outcome = await runWorkflow({
      runId,
      meta: script.meta,
      script: invocation.scriptDisplay,
      program: createSandboxProgram(script, sandboxLimitsOf(invocation.flags)),
      args: invocation.args,
      config: runConfigOf(invocation.flags, prepared.config),
      providers: prepared.providers,
      journal,
      // The state folder (the clock and the random run id) must stay invisible to the script.
      workspace: createWorkspace(invocation.cwd, { stateDir: state.root }),
      edits,
      signal: io.signal,
      onEvent: function show(event) {
        recorder.record(event)
        progress.event(event)
        options.onEvent?.(event, () => recorder.snapshot())
        // Warnings about the journal (torn lines...) go right after the run's header line.
        if (event.type === 'run_started') for (const message of journal.warnings) show({ type: 'warning', at: event.at, message })
      },
    })
  } finally {
    io.signal?.removeEventListener('abort', onStop)
    unregister?.()
    await journal.close()
    edits.close()
    removeTreesFolder()
  }
  recordChanges(prepared, edits, recorder, options.quiet ? () => {} : (line) => progress.line(line))
  await compact(prepared, outcome, recorder)
  const snapshot = recorder.finish(outcome)
  state.removePidMarker(runId)
  progress.finish()
  return { outcome, snapshot }
}

/** A run in a folder exactly as the workflow's last run left it continues that run (see RunEdits.resume). */
function continueLastRun(edits: RunEdits, workflow: string, say: (line: string) => void): void {
  try {
    const back = edits.resume()
    if (back > 0) say(`continuing the last run of ${workflow} in this folder: its changes to ${back === 1 ? '1 file were' : `${back} files were`} taken back, and land again as its calls replay`)
  } catch (error) {
    say(`could not continue the last run's changes (${(error as Error).message}); starting from the folder as it is`)
  }
}

/** The run's changes to the working folder: runs/<id>/changes.patch, and an event every view shows. */
function recordChanges(prepared: PreparedRun, edits: RunEdits, recorder: RunRecorder, say: (line: string) => void): void {
  try {
    const lost = edits.notMadeAgain()
    if (lost.length > 0) {
      const files = `${lost.length === 1 ? '1 file' : `${lost.length} files`} (${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''})`
      const message = `this run continued the last run of ${prepared.script.meta.name} but did not make again its changes to ${files}: they are as before that run; the last run's changes.patch (dwf diff) still has them`
      recorder.record({ type: 'warning', at: Date.now(), message })
      say(`warning: ${message}`)
    }
    const changes = edits.changes()
    const summary = changes && summarizeChanges(changes.files)
    if (!changes || !summary) return
    prepared.state.writeRunFile(prepared.runId, 'changes.patch', changes.patch)
    recorder.record({ type: 'files_changed', at: Date.now(), ...summary })
  } catch (error) {
    recorder.record({ type: 'warning', at: Date.now(), message: `could not record the run's changes: ${(error as Error).message}` })
  }
}

/** "Ctrl-C" for SIGINT, the signal's name otherwise, "stop" for anything else. */
function stopCause(reason: unknown): string {
  if (reason === 'SIGINT') return 'Ctrl-C'
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? reason : 'stop'
}

/** The run's journal; one too large to load is bad input (prepareRun refuses it too, but it may have grown since). */
async function openJournal(file: string, root: string): Promise<JournalFile> {
  try {
    return await JournalFile.open(file, { root })
  } catch (error) {
    if (error instanceof JournalTooLargeError) throw new BadInputError(error.message)
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
