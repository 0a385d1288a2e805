/**
 * Delivers the run's file changes through GitHub's git data API (blobs, a tree, a commit, a
 * ref): the commit is made and signed by GitHub, and no credentials are left on disk. Once:
 * a commit whose tree equals the branch head's tree is not made (a re-run, or a push that
 * replays the run, finds its changes already there), and a pull request is found by its head
 * branch before one is opened.
 * - `commit`: on the pull request's head branch, only when that branch is in this repository;
 * - `pull-request`: on the branch `dynamic-workflow/<name>`, made from the commit the run
 *   started from, with one pull request opened or updated.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { GitHubClient } from '../github-client.js'
import type { Log } from '../log.js'

export interface Delivered {
  commitSha?: string
  pullRequest?: { number: number; url: string }
}

export interface DeliveryContext {
  github: GitHubClient
  owner: string
  repo: string
  /** The working directory the run changed, and the changed paths (relative, posix). */
  cwd: string
  files: string[]
  name: string
  /** The GitHub run id: the same in every attempt, so a re-run recognises its own commit. */
  runId: string
  /** The message's first line and the pull request's title. */
  title: string
  /** The pull request's body (the run's report), when one is opened. */
  body: string
  log: Log & { notice(message: string): void }
}

export const CHANGES_TRAILER = 'Dynamic-Workflow-Run'

/**
 * Commits on the head branch of pull request `pull` (same repository only). The run must have
 * started from the branch's head, or from the commit our earlier attempt's commit sits on:
 * anything else means someone pushed meanwhile, and their files are not overwritten.
 */
export async function commitToPullRequest(context: DeliveryContext, pull: number, startedFrom: string | undefined): Promise<Delivered> {
  const { github, owner, repo, log } = context
  const { data: pr } = await github.rest.pulls.get({ owner, repo, pull_number: pull })
  if (pr.head.repo?.full_name !== `${owner}/${repo}`) {
    log.notice(`changes: commit: pull request #${pull} comes from another repository (${pr.head.repo?.full_name ?? 'a deleted fork'}), where this job cannot push; the changes were not committed (changes.patch is in the run-state artifact).`)
    return {}
  }
  const head = (await headOf(github, owner, repo, pr.head.ref))!
  if (head !== startedFrom && !(await isOurCommitOn(context, head, startedFrom))) {
    log.notice(`changes: commit: the run started from ${startedFrom?.slice(0, 7) ?? 'a checkout that is not the branch'}, but ${pr.head.ref} is at ${head.slice(0, 7)}: the changes were not committed (check out the pull request's head, ref: \${{ github.event.pull_request.head.sha }}, and re-run).`)
    return {}
  }
  const sha = await commitOnto(context, pr.head.ref, head, false)
  return sha ? { commitSha: sha } : {}
}

/** Whether `commit` is this workflow run's own commit, made on `parent` (an earlier attempt's). */
async function isOurCommitOn(context: DeliveryContext, commit: string, parent: string | undefined): Promise<boolean> {
  const { data } = await context.github.rest.git.getCommit({ owner: context.owner, repo: context.repo, commit_sha: commit })
  return data.message.includes(`${CHANGES_TRAILER}: ${context.name} ${context.runId}`) && data.parents[0]?.sha === parent
}

/** Commits on `dynamic-workflow/<name>` from `base`, and opens (or updates) its pull request into `baseRef`. */
export async function openPullRequest(context: DeliveryContext, base: { ref: string; sha: string }): Promise<Delivered> {
  const { github, owner, repo } = context
  const branch = `dynamic-workflow/${context.name}`
  const existing = await headOf(github, owner, repo, branch)
  let commitSha: string | undefined
  if (existing === undefined) {
    commitSha = await commitOnto(context, undefined, base.sha, false)
    if (commitSha) await github.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commitSha })
  } else commitSha = await commitOnto(context, branch, existing, true, base.sha)
  const head = `${owner}:${branch}`
  const open = await github.rest.pulls.list({ owner, repo, head, state: 'open', per_page: 1 })
  const found = open.data[0]
  if (found) {
    await github.rest.pulls.update({ owner, repo, pull_number: found.number, title: context.title, body: context.body })
    return { ...(commitSha ? { commitSha } : {}), pullRequest: { number: found.number, url: found.html_url } }
  }
  if (existing === undefined && !commitSha) return {} // nothing changed: no branch, no pull request
  const { data: created } = await github.rest.pulls.create({ owner, repo, head: branch, base: base.ref, title: context.title, body: context.body })
  context.log.info(`Opened pull request #${created.number}: ${created.html_url}`)
  return { ...(commitSha ? { commitSha } : {}), pullRequest: { number: created.number, url: created.html_url } }
}

async function headOf(github: GitHubClient, owner: string, repo: string, branch: string): Promise<string | undefined> {
  try {
    return (await github.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
}

/**
 * Makes a commit of the changed files on top of `parent` (or of `rebaseOn`, for our own branch)
 * and moves `branch` to it; returns undefined when the tree would be the same as the
 * current head's (the changes are already there).
 */
async function commitOnto(context: DeliveryContext, branch: string | undefined, parent: string, force: boolean, rebaseOn?: string): Promise<string | undefined> {
  const { github, owner, repo } = context
  const headTree = (await github.rest.git.getCommit({ owner, repo, commit_sha: parent })).data.tree.sha
  const baseCommit = rebaseOn ?? parent
  const baseTree = rebaseOn ? (await github.rest.git.getCommit({ owner, repo, commit_sha: rebaseOn })).data.tree.sha : headTree
  const entries = await Promise.all(context.files.map((file) => treeEntry(context, file)))
  const { data: tree } = await github.rest.git.createTree({ owner, repo, base_tree: baseTree, tree: entries })
  if (tree.sha === headTree) {
    context.log.info(`The changes are already on ${branch ?? 'the branch'} (${parent.slice(0, 7)}): no new commit.`)
    return undefined
  }
  const message = `${context.title}\n\n${CHANGES_TRAILER}: ${context.name} ${context.runId}`
  const { data: commit } = await github.rest.git.createCommit({ owner, repo, message, tree: tree.sha, parents: [baseCommit] })
  if (branch) await github.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha, force })
  context.log.info(`Committed the run's changes as ${commit.sha.slice(0, 7)}${branch ? ` on ${branch}` : ''}.`)
  return commit.sha
}

type TreeItem = { path: string; mode: '100644' | '100755' | '120000'; type: 'blob'; sha: string | null }

/** A changed file as the tree has it: its new content, or sha null when it was deleted. */
async function treeEntry(context: DeliveryContext, file: string): Promise<TreeItem> {
  const { github, owner, repo } = context
  const full = path.join(context.cwd, ...file.split('/'))
  const stats = fs.lstatSync(full, { throwIfNoEntry: false })
  if (!stats) return { path: file, mode: '100644', type: 'blob', sha: null }
  const link = stats.isSymbolicLink()
  const content = link ? Buffer.from(fs.readlinkSync(full)) : fs.readFileSync(full)
  const { data: blob } = await github.rest.git.createBlob({ owner, repo, content: content.toString('base64'), encoding: 'base64' })
  return { path: file, mode: link ? '120000' : stats.mode & 0o100 ? '100755' : '100644', type: 'blob', sha: blob.sha }
}
