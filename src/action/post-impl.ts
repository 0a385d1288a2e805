import { type RunSnapshot } from '../report/snapshot.js'
import { renderComment, renderSummary } from '../report/comment.js'
import { StateDir } from '../runner/state-dir.js'
import { JournalCache, type CacheClient } from './journal-cache.js'
import { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
import { isOwnFile, runFiles } from './state-folder.js'
import { State, type ActionState, type HandOff } from './state.js'
import { noting } from './log.js'
import { StickyComment } from './sticky-comment.js'
import { type GitHubClient } from './github-client.js'
import { RESUME_HINT } from './results.js'
import { type ActionCore } from './core-port.js'
import { emptySnapshot } from '../report/snapshot-reduce.js'

export interface PostDeps {
  core: Pick<ActionCore, 'info' | 'warning' | 'notice' | 'summary'>
  state: ActionState
  cache: CacheClient | undefined
  artifacts: ArtifactClient | undefined
  /** The GitHub client for the PR comment (post reads the token input itself). */
  github?: () => GitHubClient
}

/** Past any save number main can reach. */
const POST_SEQ = 1_000_000

/**
 * The post step (`post-if: always()`): when main did not finish its final save (cancelled,
 * timed out, killed), save the journal it left on disk (every completed call was fsynced
 * before the script saw it) and upload the run state, and say the run was interrupted.
 */
export async function runPost(deps: PostDeps): Promise<'done-by-main' | 'no-run' | 'saved'> {
  const { core } = deps
  if (deps.state.get(State.finalSaved) === 'true') {
    core.info('The main step saved the journal and the run state; nothing to do.')
    return 'done-by-main'
  }
  const raw = deps.state.get(State.handOff)
  if (!raw) {
    core.info('The main step did not start a run; nothing to save.')
    return 'no-run'
  }
  const handOff = JSON.parse(raw) as HandOff
  const notes: string[] = []
  const log = noting(core, notes)
  core.warning('The run did not finish (cancelled, timed out or killed). Saving its journal so a re-run resumes it.')
  const run = { runId: handOff.runIdGithub, attempt: handOff.attempt, job: handOff.job }
  const state = new StateDir(handOff.stateDir)
  if (deps.cache && isOwnFile(state, handOff.journalFile, log, 'the cache'))
    await new JournalCache(deps.cache, handOff.slot, run, handOff.cachePaths, log, POST_SEQ).save('post: interrupted run')
  if (deps.artifacts)
    await new RunArtifacts(deps.artifacts, `dynamic-workflow-${handOff.slot}`, handOff.attempt, log).upload(runFiles(state, handOff.runId, handOff.journalFile, log), state.root)
  // Killed before its first snapshot was written, the run is still reported, with no calls.
  const snapshot = state.readJson<RunSnapshot>(handOff.runId, 'run.json') ?? { ...emptySnapshot(), runId: handOff.runId, name: handOff.name }
  await core.summary(renderSummary(snapshot, 'interrupted', { resumeHint: RESUME_HINT, notes }))
  // The comment must not stay on "running": main could not write its final state.
  if (handOff.comment && deps.github) {
    const { marker, author, ...target } = handOff.comment
    await new StickyComment(deps.github(), target, marker, log, author).upsert(renderComment(snapshot, 'interrupted', { marker, resumeHint: RESUME_HINT, notes }))
  }
  return 'saved'
}
