import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunOutcome } from '../engine/run-workflow.js'
import type { RunSnapshot } from '../engine/snapshot.js'
import { mergeEntries, readJournalText, writeJournalFile } from '../journal/index.js'
import { commentMarker, renderComment } from '../report/comment.js'
import { renderMarkdown } from '../report/markdown.js'
import { formatError } from '../report/terminal.js'
import { executeRun, jsonSummary, prepareRun, type CliIO, type PreparedRun } from '../cli/execute-run.js'
import { ExitError } from '../cli/exit.js'
import type { RunFlags } from '../cli/invocation.js'
import { StateDir } from '../cli/state-dir.js'
import { cacheSlot, type RunCoordinates } from './cache-keys.js'
import { Checkpoints } from './checkpoints.js'
import { InputError, Outputs, readInputs, type ActionInputs, type GetInput } from './inputs.js'
import { JournalCache, type CacheClient } from './journal-cache.js'
import { StickyComment, type GitHubClient } from './pr-comment.js'
import { prTarget } from './pr-target.js'
import { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
import { State, type ActionState, type HandOff } from './state.js'

/** The parts of @actions/core the Action uses (injected, so tests can read what it did). */
export interface ActionCore {
  getInput: GetInput
  setOutput(name: string, value: string): void
  setFailed(message: string): void
  info(message: string): void
  warning(message: string): void
  notice(message: string): void
  error(message: string, properties?: { file?: string; startLine?: number; startColumn?: number; title?: string }): void
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
    if (error instanceof InputError) {
      core.setFailed(error.message)
      return { status: 'invalid' }
    }
    throw error
  }
  const run = runCoordinates(deps.env)
  const cwd = path.resolve(deps.io.cwd, inputs.workingDirectory)
  const state = new StateDir(path.join(cwd, '.dynamic-workflow'))
  let prepared: PreparedRun
  try {
    prepared = prepareRun(state, { script: path.resolve(cwd, inputs.script), scriptDisplay: inputs.script, cwd, args: inputs.args, flags: flagsOf(inputs) }, deps.env, `${run.runId}-${run.attempt}-${run.job}`, {
      allowMockFallback: false,
    })
  } catch (error) {
    if (error instanceof ExitError) {
      core.setFailed(error.message)
      return { status: 'invalid' }
    }
    throw error
  }
  const name = prepared.script.meta.name
  const slot = cacheSlot(name, run.job, inputs.cacheKey)
  const journalFile = state.journalFile(name)
  // Relative, and the same in every attempt: the cache version hashes the path list.
  const cachePaths = [path.relative(deps.io.cwd, journalFile) || journalFile]
  const cache = inputs.cache && deps.cache ? new JournalCache(deps.cache, slot, run, cachePaths, core) : undefined
  const artifacts = inputs.artifact && deps.artifacts ? new RunArtifacts(deps.artifacts, `dynamic-workflow-${slot}`, run.attempt, core) : undefined
  if (inputs.cache && !deps.cache) core.notice('The Actions cache is not available to this job: the journal lives only in the run-state artifact.')

  const restored = cache ? await cache.restore() : { thisRun: false }
  if (!restored.thisRun && run.attempt > 1 && artifacts) await mergeEarlierAttempt(artifacts, journalFile)

  const target = prTarget(deps.env, inputs)
  const marker = commentMarker(name, run.job)
  const comment = target && inputs.githubToken && deps.github ? new StickyComment(deps.github(inputs.githubToken), target, marker, core) : undefined
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

  if (comment) await comment.upsert(`${marker}\n### 🔄 ${name}: running\n\nAttempt ${run.attempt} of run ${run.runId} has started.\n`)
  const checkpoints = cache ? new Checkpoints(cache, inputs.checkpointIntervalMs) : undefined
  const { outcome, snapshot } = await executeRun(prepared, deps.io, { onEvent: (event) => checkpoints?.onEvent(event) })
  if (checkpoints) await checkpoints.final()
  if (artifacts) await artifacts.upload(runFiles(state, prepared.runId, journalFile), cwd)
  deps.state.set(State.finalSaved, 'true')

  report(deps, prepared, snapshot, outcome)
  await core.summary(renderMarkdown(snapshot, outcome.status, { resumeHint: RESUME_HINT }))
  await comment?.upsert(renderComment(snapshot, outcome.status, { name, job: run.job, resumeHint: RESUME_HINT }))
  if (outcome.status !== 'succeeded') {
    const error = outcome.error
    if (error?.line !== undefined) core.error(error.message, { file: inputs.script, startLine: error.line, startColumn: error.column, title: `${name} failed` })
    core.setFailed(`${name} ${outcome.status}: ${error ? formatError(snapshot, error) : 'see the log'}. ${RESUME_HINT}`)
  }
  return { status: outcome.status, snapshot }
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
async function mergeEarlierAttempt(artifacts: RunArtifacts, journalFile: string): Promise<void> {
  const into = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-artifact-'))
  const dir = await artifacts.downloadEarlier(into)
  if (!dir) return
  const found = findFile(dir, path.basename(journalFile))
  if (!found) return
  const current = fs.existsSync(journalFile) ? readJournalText(fs.readFileSync(journalFile, 'utf8')).entries.values() : []
  const earlier = readJournalText(fs.readFileSync(found, 'utf8')).entries.values()
  await writeJournalFile(journalFile, mergeEntries(current, earlier).values())
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
  const json = jsonSummary(snapshot, outcome)
  const status = outcome.status
  const agents = json.agents as { total: number; live: number; replayed: number; failed: number }
  const tokens = json.tokens as { input: number; output: number }
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
  set(Outputs.savedCostUsd, String((json.saved as { costUsd: number }).costUsd))
}
