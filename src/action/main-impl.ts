import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunOutcome } from '../engine/run-workflow.js'
import type { RunSnapshot } from '../engine/snapshot.js'
import { checkJournalSize, JournalTooLargeError, MAX_JOURNAL_BYTES, mergeEntries, readJournalFile, readJournalText, writeJournalFile } from '../journal/index.js'
import { formatBytes } from '../util/bytes.js'
import { annotationsOf } from '../report/annotations.js'
import { commentMarker, renderComment, renderSummary } from '../report/comment.js'
import { renderInvalid } from '../report/markdown.js'
import { renderJson } from '../report/json.js'
import { formatError } from '../report/terminal.js'
import { executeRun, prepareRun, type CliIO, type PreparedRun } from '../cli/execute-run.js'
import { ExitError } from '../cli/exit.js'
import type { RunFlags } from '../cli/invocation.js'
import { StateDir } from '../cli/state-dir.js'
import { cacheSlot, type RunCoordinates } from './cache-keys.js'
import { Checkpoints } from './checkpoints.js'
import { InputError, Inputs, Outputs, readInputs, type ActionInputs, type GetInput } from './inputs.js'
import { JournalCache, type CacheClient } from './journal-cache.js'
import { noting } from './notes.js'
import { LiveComment, pullsForCommit, StickyComment, type GitHubClient } from './pr-comment.js'
import { findPrTarget } from './pr-target.js'
import { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
import { State, type ActionState, type HandOff } from './state.js'

/** Where an annotation points (as @actions/core takes it). */
export interface AnnotationProperties {
  file?: string
  startLine?: number
  startColumn?: number
  title?: string
}

/** The parts of @actions/core the Action uses (injected, so tests can read what it did). */
export interface ActionCore {
  getInput: GetInput
  setOutput(name: string, value: string): void
  setFailed(message: string): void
  info(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  notice(message: string): void
  error(message: string, properties?: AnnotationProperties): void
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>
}

export interface MainDeps {
  core: ActionCore
  state: ActionState
  env: NodeJS.ProcessEnv
  /** undefined when the cache service is not available to this job. */
  cache: CacheClient | undefined
  artifacts: ArtifactClient | undefined
  /** Makes the GitHub client for the PR comment; undefined for no comments. */
  github?: (token: string) => GitHubClient
  io: CliIO
}

export interface MainResult {
  status: 'succeeded' | 'failed' | 'stopped' | 'invalid'
  snapshot?: RunSnapshot
}

/** Where the run is, from the runner's environment. */
export function runCoordinates(env: NodeJS.ProcessEnv): RunCoordinates {
  return { runId: env.GITHUB_RUN_ID ?? 'local', attempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1, job: env.GITHUB_JOB ?? 'job' }
}

/**
 * The Action's main step: restore the journal (cache, else an earlier attempt's artifact),
 * run the workflow with checkpoints, save the journal, upload the run state, and report.
 * Only the workflow's own outcome fails the step; cache and artifact problems warn.
 */
export async function runMain(deps: MainDeps): Promise<MainResult> {
  const { core } = deps
  let inputs: ActionInputs
  try {
    inputs = readInputs(core.getInput)
  } catch (error) {
    if (error instanceof InputError) return invalid(core, error.message)
    throw error
  }
  const run = runCoordinates(deps.env)
  const cwd = path.resolve(deps.io.cwd, inputs.workingDirectory)
  // Checked here so the error names the input, not the CLI flag the run would complain about.
  if (!isDirectory(cwd)) return invalid(core, new InputError(Inputs.workingDirectory, `'${inputs.workingDirectory}' is not a folder of the checkout`).message)
  if (inputs.config && !fs.existsSync(path.resolve(cwd, inputs.config)))
    return invalid(core, new InputError(Inputs.config, `file '${inputs.config}' was not found in ${inputs.workingDirectory === '.' ? 'the checkout' : `'${inputs.workingDirectory}'`}`).message)
  const state = new StateDir(path.join(cwd, '.dynamic-workflow'))
  let prepared: PreparedRun
  try {
    prepared = prepareRun(state, { script: path.resolve(cwd, inputs.script), scriptDisplay: inputs.script, cwd, args: inputs.args, flags: flagsOf(inputs) }, deps.env, `${run.runId}-${run.attempt}-${run.job}`, {
      allowMockFallback: false,
    })
  } catch (error) {
    if (error instanceof ExitError) return invalid(core, error.message)
    throw error
  }
  const name = prepared.script.meta.name
  // Cache, artifact and comment problems warn; they are also listed in the summary and comment.
  const notes: string[] = []
  const log = noting(core, notes)
  const slot = cacheSlot(name, run.job, inputs.cacheKey)
  const journalFile = state.journalFile(name)
  // Relative, and the same in every attempt: the cache version hashes the path list.
  const cachePaths = [path.relative(deps.io.cwd, journalFile) || journalFile]
  const cache = inputs.cache && deps.cache ? new JournalCache(deps.cache, slot, run, cachePaths, log) : undefined
  const artifacts = inputs.artifact && deps.artifacts ? new RunArtifacts(deps.artifacts, `dynamic-workflow-${slot}`, run.attempt, log) : undefined
  if (inputs.cache && !deps.cache) log.notice('The Actions cache is not available to this job: the journal lives only in the run-state artifact.')

  const restored = cache ? await cache.restore() : { thisRun: false }
  setAsideOversized(journalFile, 'the cache', log)
  if (!restored.thisRun && run.attempt > 1 && artifacts) await mergeEarlierAttempt(artifacts, journalFile, log)

  const github = inputs.githubToken && deps.github ? deps.github(inputs.githubToken) : undefined
  const target = await findPrTarget(deps.env, inputs, github && pullsForCommit(github, log), log)
  const marker = commentMarker(name, run.job, inputs.cacheKey)
  const comment = target && github ? new StickyComment(github, target, marker, log) : undefined
  const handOff: HandOff = {
    runId: prepared.runId,
    stateDir: state.root,
    name,
    slot,
    cachePaths,
    journalFile,
    attempt: run.attempt,
    runIdGithub: run.runId,
    job: run.job,
    ...(target ? { comment: { ...target, marker } } : {}),
  }
  deps.state.set(State.handOff, JSON.stringify(handOff))

  // The comment says "running" at once; then throttled live edits as events arrive.
  if (comment) await comment.upsert(`${marker}\n### 🔄 ${name}: running\n\nAttempt ${run.attempt} of run ${run.runId} has started.\n`)
  const live = comment ? new LiveComment(comment, inputs.commentIntervalMs) : undefined
  const where = { marker, resumeHint: RESUME_HINT }
  const checkpoints = cache ? new Checkpoints(cache, inputs.checkpointIntervalMs) : undefined
  const { outcome, snapshot } = await executeRun(prepared, deps.io, {
    onEvent: (event, current) => {
      checkpoints?.onEvent(event)
      live?.update(() => renderComment(current(), 'running', where))
    },
  })
  // The run is over, but its final save is not: a cancel now (SIGINT, then SIGTERM) must not
  // kill the step before the journal, artifact, outputs and comment are written. The runner's
  // SIGKILL still ends it, and then post saves what is on disk.
  const release = holdSignals(core)
  try {
    if (checkpoints) await checkpoints.final()
    if (artifacts) await artifacts.upload(runFiles(state, prepared.runId, journalFile), cwd)
    deps.state.set(State.finalSaved, 'true')

    report(deps, prepared, snapshot, outcome)
    // Annotations name the file from the repository's root, where GitHub looks for it.
    annotate(core, toPosix(path.relative(deps.io.cwd, path.resolve(cwd, inputs.script))), snapshot)
    // In CI a stopped run was cancelled or timed out: it is interrupted, and a re-run resumes it.
    const shown = outcome.status === 'stopped' ? 'interrupted' : outcome.status
    await core.summary(renderSummary(snapshot, shown, { resumeHint: RESUME_HINT, notes }))
    await live?.final(renderComment(snapshot, shown, { ...where, notes }))
    if (outcome.status !== 'succeeded') {
      const error = outcome.error
      core.setFailed(`${name} ${outcome.status}: ${error ? formatError(snapshot, error) : 'see the log'}. ${RESUME_HINT}`)
    }
  } finally {
    release()
  }
  return { status: outcome.status, snapshot }
}

/** Keeps SIGINT and SIGTERM from ending the process until `release` is called; says so once. */
function holdSignals(core: ActionCore): () => void {
  let said = false
  const hold = () => {
    if (!said) core.info('Cancel received: finishing the final save of the journal first.')
    said = true
  }
  process.on('SIGINT', hold)
  process.on('SIGTERM', hold)
  return () => {
    process.off('SIGINT', hold)
    process.off('SIGTERM', hold)
  }
}

/** Failed calls and script errors as ::error on the script's line; budget and machinery problems as ::warning. */
function annotate(core: ActionCore, script: string, snapshot: RunSnapshot): void {
  for (const a of annotationsOf(snapshot)) {
    const properties: AnnotationProperties = { title: a.title, ...(a.line !== undefined ? { file: script, startLine: a.line } : {}), ...(a.column !== undefined ? { startColumn: a.column } : {}) }
    if (a.level === 'error') core.error(a.message, properties)
    else core.warning(a.message, properties)
  }
}

/** A user mistake found before the run starts: one clear failure, and the summary says so. */
async function invalid(core: ActionCore, message: string): Promise<MainResult> {
  core.setFailed(message)
  await core.summary(renderInvalid(message))
  return { status: 'invalid' }
}

export const RESUME_HINT = 'Completed agent calls are journaled: re-run the failed jobs to resume, and only the remaining calls run live.'

function flagsOf(inputs: ActionInputs): RunFlags {
  return {
    agent: inputs.agent,
    model: inputs.model,
    command: inputs.command,
    config: inputs.config,
    concurrency: inputs.concurrency,
    maxAgents: inputs.maxAgents,
    agentTimeoutMs: inputs.agentTimeoutMs,
    idleTimeoutMs: inputs.idleTimeoutMs,
    agentRetries: inputs.agentRetries,
    tokenBudget: inputs.tokenBudget,
    costBudgetUsd: inputs.costBudgetUsd,
    replay: true,
  }
}

/** An evicted cache: merge the journal of the newest earlier attempt's artifact into ours. */
async function mergeEarlierAttempt(artifacts: RunArtifacts, journalFile: string, log: Pick<ActionCore, 'warning'>): Promise<void> {
  const into = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-artifact-'))
  const dir = await artifacts.downloadEarlier(into)
  if (!dir) return
  const found = findFile(dir, path.basename(journalFile))
  if (!found || !setAsideOversized(found, "an earlier attempt's artifact", log)) return
  const current = readJournalText((await readJournalFile(journalFile)) ?? '').entries.values()
  const earlier = readJournalText((await readJournalFile(found)) ?? '').entries.values()
  await writeJournalFile(journalFile, mergeEntries(current, earlier).values())
  setAsideOversized(journalFile, "the cache merged with an earlier attempt's artifact", log)
}

/**
 * A journal from `source` too large to load would fail this attempt and every re-run: it is
 * removed with a warning, and the run goes on without it. Returns whether the file is usable.
 */
function setAsideOversized(file: string, source: string, log: Pick<ActionCore, 'warning'>): boolean {
  try {
    checkJournalSize(file)
    return true
  } catch (error) {
    if (!(error instanceof JournalTooLargeError)) throw error
    fs.rmSync(file, { force: true })
    log.warning(
      `The journal from ${source} is ${formatBytes(error.bytes)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads: it was not used, so its agent calls run live again.`,
    )
    return false
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory()
  } catch {
    return false
  }
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return path.join(entry.parentPath ?? entry.path, entry.name)
  }
  return undefined
}

/** The files of the run-state artifact. */
export function runFiles(state: StateDir, runId: string, journalFile: string): string[] {
  const files = [journalFile, ...(['run.json', 'result.json', 'events.jsonl', 'log.txt', 'script.js', 'invocation.json'] as const).map((f) => state.runFile(runId, f))]
  return files.filter((f) => fs.existsSync(f))
}

/** The outputs: the same figures as the CLI's --json. */
function report(deps: MainDeps, prepared: PreparedRun, snapshot: RunSnapshot, outcome: RunOutcome): void {
  const json = renderJson(snapshot, outcome)
  const { status, agents, tokens } = json
  const set = deps.core.setOutput
  set(Outputs.status, status)
  set(Outputs.result, JSON.stringify(outcome.result ?? null))
  set(Outputs.runId, prepared.runId)
  set(Outputs.agentsTotal, String(agents.total))
  set(Outputs.agentsLive, String(agents.live))
  set(Outputs.agentsReplayed, String(agents.replayed))
  set(Outputs.agentsFailed, String(agents.failed))
  set(Outputs.tokens, String(tokens.input + tokens.output))
  set(Outputs.costUsd, String(json.costUsd))
  set(Outputs.savedCostUsd, String(json.saved.costUsd))
}
