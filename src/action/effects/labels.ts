/**
 * The run's label changes on the pull request. Adding a label that is there, or removing one
 * that is not, changes nothing, so performing them again after a re-run is harmless.
 */
import type { DeclaredEffects } from '../../core/effects.js'
import type { GitHubClient } from '../github-client.js'
import type { Log } from '../log.js'
import type { PullRequest } from './post-review.js'

export type LabelsOutcome = { done: true } | { done: false; why: 'forbidden' | 'failed' }

export async function applyLabels(github: GitHubClient, pull: PullRequest, labels: DeclaredEffects['labels'], log: Log & { notice(message: string): void }): Promise<LabelsOutcome> {
  const where = { owner: pull.owner, repo: pull.repo, issue_number: pull.number }
  try {
    if (labels.add.length > 0) await github.rest.issues.addLabels({ ...where, labels: labels.add })
    for (const name of labels.remove) {
      try {
        await github.rest.issues.removeLabel({ ...where, name })
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error // not there: nothing to remove
      }
    }
    log.info(`Labels: ${[...labels.add.map((l) => `+${l}`), ...labels.remove.map((l) => `-${l}`)].join(' ')}`)
    return { done: true }
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 403) {
      log.notice(`The labels were not changed: the token cannot write to pull request #${pull.number} (it needs pull-requests: write or issues: write).`)
      return { done: false, why: 'forbidden' }
    }
    log.warning(`The labels were not changed: ${(error as Error).message}`)
    return { done: false, why: 'failed' }
  }
}
