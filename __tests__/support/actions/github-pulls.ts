// Pull requests in the GitHub REST fake: GET of any number (a default open PR from feature-N into
// main, fields overridable with setPull), the list (state/head/base filters, as GitHub applies
// them), create (422 when the branches are missing, have no commits between them, or an open PR
// already has that head), update (title, body, state, base), the PRs of a commit, and the
// PR's files with their patches as a test sets them. When the git fake has the head branch, the
// PR's head.sha is that branch's tip, as on GitHub after a push.
import crypto from 'node:crypto'
import { isoSeconds } from './artifact-service.js'
import { DOCS, nodeId, pagedList, unprocessable, user, type GitHubUser, type RepoContext, type RouteDef } from './github-common.js'
import type { GitObjects } from './github-git-objects.js'

export interface PullFileSpec {
  filename: string
  /** The unified diff hunks, as GitHub gives them (no ---/+++ header lines). */
  patch?: string
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  previous_filename?: string
}

export interface PullFile extends Required<Pick<PullFileSpec, 'filename' | 'status'>> {
  sha: string
  additions: number
  deletions: number
  changes: number
  blob_url: string
  raw_url: string
  contents_url: string
  patch?: string
  previous_filename?: string
}

/** What the pulls need of the rest of the fake. */
export interface PullsDeps {
  git: { branchTip(branch: string): string | undefined; objects: GitObjects }
  defaultBranch: string
  commentCount(issue: number): number
  numbersInUse(): number[]
}

const PULLS_DOCS = `${DOCS}/pulls/pulls`
const PULLS_WRITE = 'pull_requests=write'
const sha1 = (s: string) => crypto.createHash('sha1').update(s).digest('hex')

export function createPulls(ctx: RepoContext, deps: PullsDeps) {
  const overrides = new Map<number, Record<string, any>>()
  const filesByPull = new Map<number, PullFile[]>()

  function repoJson() {
    return { id: ctx.repositoryId, node_id: `R_kgDO${ctx.repositoryId}`, name: ctx.repo, full_name: ctx.repository, private: false, owner: user(ctx.owner, 9919, 'User'), fork: false, default_branch: deps.defaultBranch }
  }

  /** A head or base: the branch's tip when the git fake has it, else a made-up sha. */
  function side(ref: string, owner: GitHubUser, fallbackSha: string) {
    return { label: `${owner.login}:${ref}`, ref, sha: deps.git.branchTip(ref) ?? fallbackSha, user: owner, repo: repoJson() }
  }

  function pull(number: number): Record<string, any> {
    const author = user('octocat', 583231, 'User')
    const created = isoSeconds(new Date(Date.now() - 86_400_000))
    const files = filesByPull.get(number)
    const fields = overrides.get(number) ?? {}
    const json: Record<string, any> = {
      url: `${ctx.repoApi()}/pulls/${number}`,
      id: 1_900_000_000 + number,
      node_id: nodeId('PR', ctx, number),
      html_url: `https://github.com/${ctx.repository}/pull/${number}`,
      diff_url: `https://github.com/${ctx.repository}/pull/${number}.diff`,
      patch_url: `https://github.com/${ctx.repository}/pull/${number}.patch`,
      issue_url: `${ctx.repoApi()}/issues/${number}`,
      comments_url: `${ctx.repoApi()}/issues/${number}/comments`,
      review_comments_url: `${ctx.repoApi()}/pulls/${number}/comments`,
      number,
      state: 'open',
      locked: false,
      title: `Pull request ${number}`,
      user: author,
      body: null,
      created_at: created,
      updated_at: created,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: sha1(`merge/${number}`),
      draft: false,
      head: side(`feature-${number}`, author, sha1(`head/${number}`)),
      base: side(deps.defaultBranch, repoJson().owner, sha1('base')),
      author_association: 'MEMBER',
      merged: false,
      mergeable: true,
      comments: deps.commentCount(number),
      commits: 1,
      additions: files ? files.reduce((n, f) => n + f.additions, 0) : 10,
      deletions: files ? files.reduce((n, f) => n + f.deletions, 0) : 2,
      changed_files: files ? files.length : 1,
      ...fields,
    }
    // After a push to the head branch, GitHub's PR shows the new head.
    const headTip = json.head?.repo?.full_name === ctx.repository ? deps.git.branchTip(json.head.ref) : undefined
    if (headTip) json.head = { ...json.head, sha: headTip }
    return json
  }

  const ownerAndBranch = (value: string) => (value.includes(':') ? (value.split(':', 2) as [string, string]) : [ctx.owner, value])

  function listed(query: URLSearchParams): Record<string, any>[] {
    const state = query.get('state') ?? 'open'
    const head = query.get('head')
    const base = query.get('base')
    // GitHub ignores a head filter without its "owner:" prefix.
    const headFilter = head?.includes(':') ? head.toLowerCase() : undefined
    return [...overrides.keys()]
      .sort((a, b) => b - a)
      .map(pull)
      .filter((p) => (state === 'all' || p.state === state) && (!headFilter || p.head.label.toLowerCase() === headFilter) && (!base || p.base.ref === base))
  }

  function create(body: any): Record<string, any> {
    const docs = `${PULLS_DOCS}#create-a-pull-request`
    if (typeof body?.title !== 'string' || body.title === '') throw unprocessable(docs, [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }])
    const [headOwner, head] = ownerAndBranch(String(body.head ?? ''))
    const base = String(body.base ?? '')
    const headTip = headOwner.toLowerCase() === ctx.owner.toLowerCase() ? deps.git.branchTip(head) : undefined
    const baseTip = deps.git.branchTip(base)
    if (!headTip) throw unprocessable(docs, [{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
    if (!baseTip) throw unprocessable(docs, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
    const label = `${ctx.owner}:${head}`
    if (listed(new URLSearchParams({ state: 'open', head: label })).length > 0) throw unprocessable(docs, [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${label}.` }])
    if (deps.git.objects.isAncestor(headTip, baseTip)) throw unprocessable(docs, [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }])
    const number = Math.max(0, ...overrides.keys(), ...deps.numbersInUse()) + 1
    const now = isoSeconds(new Date())
    const owner = user(ctx.owner, 9919, 'User')
    overrides.set(number, {
      title: body.title,
      body: typeof body.body === 'string' ? body.body : null,
      draft: body.draft === true,
      user: ctx.actor,
      author_association: 'NONE',
      created_at: now,
      updated_at: now,
      head: side(head, owner, headTip),
      base: side(base, owner, baseTip),
      mergeable: null,
    })
    return pull(number)
  }

  function update(number: number, body: any): Record<string, any> {
    const docs = `${PULLS_DOCS}#update-a-pull-request`
    const fields = { ...(overrides.get(number) ?? {}) }
    if (typeof body?.title === 'string') fields.title = body.title
    if (typeof body?.body === 'string' || body?.body === null) fields.body = body.body
    if (body?.state !== undefined) {
      if (body.state !== 'open' && body.state !== 'closed') throw unprocessable(docs, [{ resource: 'PullRequest', field: 'state', code: 'invalid' }])
      fields.state = body.state
      fields.closed_at = body.state === 'closed' ? isoSeconds(new Date()) : null
    }
    if (typeof body?.base === 'string') {
      const tip = deps.git.branchTip(body.base)
      if (!tip) throw unprocessable(docs, [{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
      fields.base = side(body.base, user(ctx.owner, 9919, 'User'), tip)
    }
    fields.updated_at = isoSeconds(new Date())
    overrides.set(number, fields)
    return pull(number)
  }

  const routes: RouteDef[] = [
    { method: 'GET', pattern: /^\/pulls$/, route: 'listPulls', read: 'pull_requests=read', run: (_p, query) => pagedList(ctx, listed(query), query, '/pulls') },
    { method: 'POST', pattern: /^\/pulls$/, route: 'createPull', write: { permissions: PULLS_WRITE, docs: `${PULLS_DOCS}#create-a-pull-request` }, run: (_p, _q, body) => ({ status: 201, body: create(body) }) },
    { method: 'GET', pattern: /^\/pulls\/(\d+)$/, route: 'getPull', read: 'pull_requests=read', run: ([n]) => ({ status: 200, body: pull(Number(n)) }) },
    { method: 'PATCH', pattern: /^\/pulls\/(\d+)$/, route: 'updatePull', write: { permissions: PULLS_WRITE, docs: `${PULLS_DOCS}#update-a-pull-request` }, run: ([n], _q, body) => ({ status: 200, body: update(Number(n), body) }) },
    {
      method: 'GET',
      pattern: /^\/pulls\/(\d+)\/files$/,
      route: 'listPullFiles',
      read: 'pull_requests=read',
      run: ([n], query) => pagedList(ctx, filesByPull.get(Number(n)) ?? [], query, `/pulls/${n}/files`),
    },
    {
      method: 'GET',
      pattern: /^\/commits\/([0-9a-f]{7,40})\/pulls$/,
      route: 'listPullsForCommit',
      read: 'contents=read; pull_requests=read',
      // The PRs set up with setPull (or created) whose head is this commit, newest first, as GitHub lists them.
      run: ([sha], query) => pagedList(ctx, listed(new URLSearchParams({ state: 'all' })).filter((p) => p.head.sha === sha), query, `/commits/${sha}/pulls`),
    },
  ]

  return {
    routes,
    pull,
    /** Whether a pull request was set up (setPull, setPullFiles) or created. */
    exists: (number: number) => overrides.has(number),
    /** The pull requests set up or created, newest first (GET's JSON). */
    pulls: () => listed(new URLSearchParams({ state: 'all' })),
    setPull(number: number, fields: Record<string, unknown>) {
      overrides.set(number, { ...(overrides.get(number) ?? {}), ...fields })
    },
    files: (number: number) => filesByPull.get(number) ?? [],
    setPullFiles(number: number, files: PullFileSpec[]) {
      if (!overrides.has(number)) overrides.set(number, {})
      filesByPull.set(number, files.map((f) => pullFile(ctx, number, f)))
    },
  }
}

function pullFile(ctx: RepoContext, number: number, spec: PullFileSpec): PullFile {
  const lines = (spec.patch ?? '').split('\n').filter((l) => !l.startsWith('@@'))
  const additions = lines.filter((l) => l.startsWith('+')).length
  const deletions = lines.filter((l) => l.startsWith('-')).length
  const sha = sha1(`${number}/${spec.filename}/${spec.patch ?? ''}`)
  const path = spec.filename.split('/').map(encodeURIComponent).join('/')
  return {
    sha,
    filename: spec.filename,
    status: spec.status ?? 'modified',
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `https://github.com/${ctx.repository}/blob/${sha}/${path}`,
    raw_url: `https://github.com/${ctx.repository}/raw/${sha}/${path}`,
    contents_url: `${ctx.repoApi()}/contents/${path}?ref=${sha}`,
    ...(spec.patch === undefined ? {} : { patch: spec.patch }),
    ...(spec.previous_filename === undefined ? {} : { previous_filename: spec.previous_filename }),
  }
}
