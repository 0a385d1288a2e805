import fs from 'node:fs'
import path from 'node:path'
import { commentMarker, renderComment, renderSummary } from '../report/comment.js'
import type { RunSnapshot } from '../report/snapshot.js'
import { formatError } from '../report/terminal.js'
import { BadInputError } from '../runner/bad-input.js'
import { executeRun, type RunIO } from '../runner/execute-run.js'
import { prepareRun, type PreparedRun } from '../runner/prepare-run.js'
import { StateDir } from '../runner/state-dir.js'
import { UnsafePathError } from '../util/no-follow-fs.js'
import { cacheSlot, runCoordinates, type RunCoordinates } from './cache-keys.js'
import { Checkpoints } from './checkpoints.js'
import type { ActionCore } from './core-port.js'
import { mergeEarlierAttempt } from './earlier-attempt.js'
import type { GitHubClient } from './github-client.js'
import { InputError, Inputs, Outputs, readInputs, type ActionInputs } from './inputs.js'
import { performEffects } from './effects/perform.js'
import { JournalCache, type CacheClient } from './journal-cache.js'
import { LiveComment } from './live-comment.js'
import { noting, type Log } from './log.js'
import { findPrTarget, pullsForCommit } from './pr-target.js'
import { annotate, reportInvalid, RESUME_HINT, setOutputs } from './results.js'
import { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
import { actionStateDir, runFiles } from './state-folder.js'
import { State, type ActionState, type HandOff } from './state.js'
import { StickyComment } from './sticky-comment.js'
import { tokenLogin } from './token-login.js'

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

/** A run whose inputs are checked, with where its journal lives in the cache and the artifact. */
interface Started {
  inputs: ActionInputs
  run: RunCoordinates
  cwd: string
  prepared: PreparedRun
  journalFile: string
  cachePaths: string[]
  slot: string
}

/**
 * The Action's main step: restore the journal (cache, else an earlier attempt's artifact),
 * run the workflow with checkpoints, save the journal, upload the run state, and report.
 * Only the workflow's own outcome fails the step; cache and artifact problems warn.
 */
export async function runMain(deps: MainDeps): Promise<MainResult> {
  const started = start(deps)
  if (typeof started === 'string') {
    await reportInvalid(deps.core, started)
    return { status: 'invalid' }
  }
  const { inputs, run, prepared, journalFile, cachePaths, slot } = started
  // Cache, artifact and comment problems warn; they are also listed in the summary and comment.
  const notes: string[] = []
  const log = noting(deps.core, notes)
  const cache = inputs.cache && deps.cache ? new JournalCache(deps.cache, slot, run, cachePaths, log) : undefined
  const artifacts = inputs.artifact && deps.artifacts ? new RunArtifacts(deps.artifacts, `dynamic-workflow-${slot}`, run.attempt, log) : undefined
  if (inputs.cache && !deps.cache) log.notice('The Actions cache is not available to this job: the journal lives only in the run-state artifact.')
  await restore(deps, started, cache, artifacts, log)

  const comment = await statusComment(deps, started, log)
  const checkpoints = cache ? new Checkpoints(cache, inputs.checkpointIntervalMs) : undefined
  const { outcome, snapshot } = await executeRun(prepared, deps.io, {
    onEvent: (event, current) => {
      checkpoints?.onEvent(event)
      comment?.live.update(() => renderComment(current(), 'running', comment.where))
    },
  })
  // The run is over, but its final save is not: the entry point holds further cancel signals
  // until the journal, artifact, outputs and comment are written. Say so once, when cancelled.
  const tellHeld = () => deps.core.info('Cancel received: finishing the final save of the journal first.')
  if (deps.io.signal?.aborted) tellHeld()
  else deps.io.signal?.addEventListener('abort', tellHeld, { once: true })
  if (checkpoints) await checkpoints.final()
  if (artifacts) await artifacts.upload(runFiles(prepared.state, prepared.runId, journalFile, log), prepared.state.root)
  deps.state.set(State.finalSaved, 'true')

  // After the final save: a cancel now can cost a review, never the journal (a re-run posts it).
  const performed = await performEffects(
    snapshot.effects,
    {
      env: deps.env,
      inputs,
      github: deps.github,
      name: prepared.script.meta.name,
      job: run.job,
      succeeded: outcome.status === 'succeeded',
      cwd: started.cwd,
      changed: snapshot.changes?.files ?? [],
      report: snapshot.effects?.report,
      description: prepared.script.meta.description,
      uploadPatch: async () => {
        if (deps.artifacts) await new RunArtifacts(deps.artifacts, `dynamic-workflow-changes-${slot}`, run.attempt, log, "The run's changes").upload(runFiles(prepared.state, prepared.runId, journalFile, log).filter((f) => f.endsWith('changes.patch')), prepared.state.root)
      },
    },
    log,
  )
  setOutputs(deps.core, prepared.runId, snapshot, outcome, log)
  deps.core.setOutput(Outputs.reviewId, performed.review?.id !== undefined ? String(performed.review.id) : '')
  deps.core.setOutput(Outputs.commitSha, performed.delivered?.commitSha ?? '')
  deps.core.setOutput(Outputs.pullRequestNumber, performed.delivered?.pullRequest ? String(performed.delivered.pullRequest.number) : '')
  deps.core.setOutput(Outputs.pullRequestUrl, performed.delivered?.pullRequest?.url ?? '')
  // Annotations name the file from the repository's root, where GitHub looks for it.
  annotate(deps.core, toPosix(path.relative(deps.io.cwd, path.resolve(started.cwd, inputs.script))), snapshot)
  // In CI a stopped run was cancelled or timed out: it is interrupted, and a re-run resumes it.
  const shown = outcome.status === 'stopped' ? 'interrupted' : outcome.status
  await deps.core.summary(renderSummary(snapshot, shown, { resumeHint: RESUME_HINT, notes }))
  await comment?.live.final(renderComment(snapshot, shown, { ...comment.where, notes }))
  if (outcome.status !== 'succeeded') {
    const error = outcome.error
    deps.core.setFailed(`${prepared.script.meta.name} ${outcome.status}: ${error ? formatError(snapshot, error) : 'see the log'}. ${RESUME_HINT}`)
  }
  return { status: outcome.status, snapshot }
}

/** The inputs checked and the run prepared, or the one message that says what is wrong. */
function start(deps: MainDeps): Started | string {
  try {
    const inputs = readInputs(deps.core.getInput)
    const run = runCoordinates(deps.env)
    const cwd = path.resolve(deps.io.cwd, inputs.workingDirectory)
    // Checked here so the error names the input, not the CLI flag the run would complain about.
    if (!isDirectory(cwd)) throw new InputError(Inputs.workingDirectory, `'${inputs.workingDirectory}' is not a folder of the checkout`)
    if (inputs.flags.config && !fs.existsSync(path.resolve(cwd, inputs.flags.config)))
      throw new InputError(Inputs.config, `file '${inputs.flags.config}' was not found in ${inputs.workingDirectory === '.' ? 'the checkout' : `'${inputs.workingDirectory}'`}`)
    // Outside the checkout: a committed .dynamic-workflow/ is ignored, and the script cannot see this one.
    const state = new StateDir(actionStateDir(deps.env))
    const prepared = prepareRun(state, { script: path.resolve(cwd, inputs.script), scriptDisplay: inputs.script, cwd, args: inputs.args, flags: inputs.flags }, deps.env, `${run.runId}-${run.attempt}-${run.job}`, {
      allowMockFallback: false,
    })
    const journalFile = state.journalFile(prepared.script.meta.name)
    // The cache version hashes the path list, so it must be the same in every attempt and run.
    // @actions/glob refuses '..', so a path outside the workspace is absolute; runners give
    // RUNNER_TEMP the same path in every job (/home/runner/work/_temp on GitHub's Linux runners).
    return { inputs, run, cwd, prepared, journalFile, cachePaths: [journalFile], slot: cacheSlot(prepared.script.meta.name, run.job, inputs.cacheKey) }
  } catch (error) {
    if (error instanceof BadInputError || error instanceof UnsafePathError) return error.message
    throw error
  }
}

/** The journal from the cache, else (an evicted cache on a re-run) from an earlier attempt's artifact. */
async function restore(deps: MainDeps, started: Started, cache: JournalCache | undefined, artifacts: RunArtifacts | undefined, log: Log): Promise<void> {
  const { state } = started.prepared
  const scratch = path.dirname(state.root)
  const workspace = deps.env.GITHUB_WORKSPACE || deps.io.cwd
  const restored = cache ? await cache.restore({ workspace, scratch, stateRoot: state.root, journalFile: started.journalFile }) : { thisRun: false }
  if (!restored.thisRun && started.run.attempt > 1 && artifacts) await mergeEarlierAttempt(artifacts, state, started.journalFile, scratch, log)
}

/**
 * The PR status comment, when there is a PR and a token: it says "running" at once, then is
 * edited live (throttled). What post needs to finish it is handed over with the rest.
 */
async function statusComment(deps: MainDeps, started: Started, log: Log & { notice(message: string): void }): Promise<{ live: LiveComment; where: { marker: string; resumeHint: string } } | undefined> {
  const { inputs, run, prepared } = started
  const name = prepared.script.meta.name
  const github = inputs.githubToken && deps.github ? deps.github(inputs.githubToken) : undefined
  const target = await findPrTarget(deps.env, inputs, github && pullsForCommit(github, log), log)
  const marker = commentMarker(name, run.job, inputs.cacheKey)
  // Whose comments can be ours: asked once, and handed to post with the rest.
  const author = target && github ? await tokenLogin(github, log) : undefined
  const handOff: HandOff = {
    runId: prepared.runId,
    stateDir: prepared.state.root,
    name,
    slot: started.slot,
    cachePaths: started.cachePaths,
    journalFile: started.journalFile,
    attempt: run.attempt,
    runIdGithub: run.runId,
    job: run.job,
    ...(target ? { comment: { ...target, marker, ...(author ? { author } : {}) } } : {}),
  }
  deps.state.set(State.handOff, JSON.stringify(handOff))
  if (!target || !github) return undefined
  const comment = new StickyComment(github, target, marker, log, author)
  await comment.upsert(`${marker}\n### 🔄 ${name}: running\n\nAttempt ${run.attempt} of run ${run.runId} has started.\n`)
  return { live: new LiveComment(comment, inputs.commentIntervalMs), where: { marker, resumeHint: RESUME_HINT } }
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
