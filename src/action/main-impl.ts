import fs from 'node:fs'
import path from 'node:path'
import type { RunSnapshot } from '../report/snapshot.js'
import { annotationsOf } from '../report/annotations.js'
import { commentMarker, renderComment, renderSummary } from '../report/comment.js'
import { renderInvalid } from '../report/markdown.js'
import { renderJson } from '../report/json.js'
import { formatError } from '../report/terminal.js'
import { executeRun } from '../runner/execute-run.js'
import { StateDir } from '../runner/state-dir.js'
import { formatBytes } from '../util/bytes.js'
import { lstatIfExists, removeFile, UnsafePathError } from '../util/no-follow-fs.js'
import { cacheSlot, type RunCoordinates } from './cache-keys.js'
import { Checkpoints } from './checkpoints.js'
import { InputError, Inputs, Outputs, readInputs, type ActionInputs, type GetInput } from './inputs.js'
import { JournalCache, type CacheClient, type Log } from './journal-cache.js'
import { noting } from './notes.js'
import { LiveComment, pullsForCommit, StickyComment, type GitHubClient } from './pr-comment.js'
import { findPrTarget } from './pr-target.js'
import { tokenLogin } from './token-login.js'
import { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
import { actionStateDir, runFiles } from './state-folder.js'
import { State, type ActionState, type HandOff } from './state.js'
import { JournalTooLargeError, MAX_JOURNAL_BYTES, readJournalFile } from '../journal/limits.js'
import { mergeEntries, writeJournalFile } from '../journal/compact.js'
import { readJournalText } from '../journal/read.js'
import { type RunOutcome } from '../core/events.js'
import { prepareRun, type PreparedRun } from '../runner/prepare-run.js'
import { BadInputError } from '../runner/bad-input.js'
import type { RunIO } from '../runner/execute-run.js'

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
  /** Progress (stderr), environment and the stop signal; `cwd` is where the step runs. */
  io: RunIO & { cwd: string }
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
    if (error instanceof BadInputError) return invalid(core, error.message)
    throw error
  }
  const run = runCoordinates(deps.env)
  const cwd = path.resolve(deps.io.cwd, inputs.workingDirectory)
  // Checked here so the error names the input, not the CLI flag the run would complain about.
  if (!isDirectory(cwd)) return invalid(core, new InputError(Inputs.workingDirectory, `'${inputs.workingDirectory}' is not a folder of the checkout`).message)
  if (inputs.flags.config && !fs.existsSync(path.resolve(cwd, inputs.flags.config)))
    return invalid(core, new InputError(Inputs.config, `file '${inputs.flags.config}' was not found in ${inputs.workingDirectory === '.' ? 'the checkout' : `'${inputs.workingDirectory}'`}`).message)
  // Outside the checkout: a committed .dynamic-workflow/ is ignored, and the script cannot see this one.
  const state = new StateDir(actionStateDir(deps.env))
  const scratch = path.dirname(state.root)
  let prepared: PreparedRun
  try {
    prepared = prepareRun(state, { script: path.resolve(cwd, inputs.script), scriptDisplay: inputs.script, cwd, args: inputs.args, flags: inputs.flags }, deps.env, `${run.runId}-${run.attempt}-${run.job}`, {
      allowMockFallback: false,
    })
  } catch (error) {
    if (error instanceof BadInputError || error instanceof UnsafePathError) return invalid(core, error.message)
    throw error
  }
  const name = prepared.script.meta.name
  // Cache, artifact and comment problems warn; they are also listed in the summary and comment.
  const notes: string[] = []
  const log = noting(core, notes)
  const slot = cacheSlot(name, run.job, inputs.cacheKey)
  const journalFile = state.journalFile(name)
  // The cache version hashes the path list, so it must be the same in every attempt and run.
  // @actions/glob refuses '..', so a path outside the workspace is absolute; runners give
  // RUNNER_TEMP the same path in every job (/home/runner/work/_temp on GitHub's Linux runners).
  const cachePaths = [journalFile]
  const cache = inputs.cache && deps.cache ? new JournalCache(deps.cache, slot, run, cachePaths, log) : undefined
  const artifacts = inputs.artifact && deps.artifacts ? new RunArtifacts(deps.artifacts, `dynamic-workflow-${slot}`, run.attempt, log) : undefined
  if (inputs.cache && !deps.cache) log.notice('The Actions cache is not available to this job: the journal lives only in the run-state artifact.')

  const workspace = deps.env.GITHUB_WORKSPACE || deps.io.cwd
  const restored = cache ? await cache.restore({ workspace, scratch, stateRoot: state.root, journalFile }) : { thisRun: false }
  if (!restored.thisRun && run.attempt > 1 && artifacts) await mergeEarlierAttempt(artifacts, state, journalFile, scratch, log)

  const github = inputs.githubToken && deps.github ? deps.github(inputs.githubToken) : undefined
  const target = await findPrTarget(deps.env, inputs, github && pullsForCommit(github, log), log)
  const marker = commentMarker(name, run.job, inputs.cacheKey)
  // Whose comments can be ours: asked once, and handed to post with the rest.
  const author = target && github ? await tokenLogin(github, log) : undefined
  const comment = target && github ? new StickyComment(github, target, marker, log, author) : undefined
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
    ...(target ? { comment: { ...target, marker, ...(author ? { author } : {}) } } : {}),
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
  // The run is over, but its final save is not: the entry point holds further cancel signals
  // until the journal, artifact, outputs and comment are written. Say so once, when cancelled.
  const signal = deps.io.signal
  const tellHeld = () => core.info('Cancel received: finishing the final save of the journal first.')
  if (signal?.aborted) tellHeld()
  else signal?.addEventListener('abort', tellHeld, { once: true })
  if (checkpoints) await checkpoints.final()
  if (artifacts) await artifacts.upload(runFiles(state, prepared.runId, journalFile, log), state.root)
  deps.state.set(State.finalSaved, 'true')

  report(deps, prepared, snapshot, outcome, log)
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
  return { status: outcome.status, snapshot }
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


/**
 * An evicted cache: merge the journal of the newest earlier attempt's artifact into ours. The
 * artifact's root is the state folder, so its journal is at the same relative path; it is
 * read without following links, like the state folder itself. A journal too large to load
 * is not used (it would fail this attempt and every re-run), nor is a merge that grows past it.
 */
async function mergeEarlierAttempt(artifacts: RunArtifacts, state: StateDir, journalFile: string, scratch: string, log: Log): Promise<void> {
  const into = fs.mkdtempSync(path.join(scratch, 'dwf-artifact-'))
  const unused = (why: string) => log.warning(`The earlier attempt's run-state artifact was not used: ${why}`)
  try {
    const dir = (await artifacts.downloadEarlier(into)) ?? into
    const earlier = readJournalFile(dir, path.join(dir, path.relative(state.root, journalFile)))
    if (earlier === undefined) return
    const current = readJournalText(readJournalFile(state.root, journalFile) ?? '').entries.values()
    await writeJournalFile(journalFile, mergeEntries(current, readJournalText(earlier).entries.values()).values(), { root: state.root })
    const merged = lstatIfExists(journalFile)?.size ?? 0
    if (merged > MAX_JOURNAL_BYTES) {
      removeFile(state.root, journalFile)
      unused(`merged with the cache's journal it is ${formatBytes(merged)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads. The run starts from an empty journal.`)
    }
  } catch (error) {
    if (error instanceof JournalTooLargeError) unused(`its journal is ${formatBytes(error.bytes)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads.`)
    else if (error instanceof UnsafePathError) unused(error.message)
    else throw error
  } finally {
    fs.rmSync(into, { recursive: true, force: true })
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

/** The outputs: the same figures as the CLI's --json. */
/** GitHub refuses a step output over 1 MB: a larger result is `null` there, and said so. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024

function resultOutput(result: unknown, log: Log): string {
  const text = JSON.stringify(result ?? null)
  const bytes = Buffer.byteLength(text)
  if (bytes <= OUTPUT_LIMIT_BYTES) return text
  log.warning(`The result is ${(bytes / 1024 / 1024).toFixed(1)} MB of JSON, more than a step output may hold (1 MB): the result output is null; the whole result is in result.json of the run-state artifact.`)
  return 'null'
}

function report(deps: MainDeps, prepared: PreparedRun, snapshot: RunSnapshot, outcome: RunOutcome, log: Log): void {
  const json = renderJson(snapshot, outcome)
  const { status, agents, tokens } = json
  const set = deps.core.setOutput
  set(Outputs.status, status)
  set(Outputs.result, resultOutput(outcome.result, log))
  set(Outputs.runId, prepared.runId)
  set(Outputs.agentsTotal, String(agents.total))
  set(Outputs.agentsLive, String(agents.live))
  set(Outputs.agentsReplayed, String(agents.replayed))
  set(Outputs.agentsFailed, String(agents.failed))
  set(Outputs.tokens, String(tokens.input + tokens.output))
  set(Outputs.costUsd, String(json.costUsd))
  set(Outputs.savedCostUsd, String(json.saved.costUsd))
}
