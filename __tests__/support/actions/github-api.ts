// A loopback fake of the GitHub REST API endpoints the Action uses, with GitHub's shapes: the
// issue comments of a pull request (paginated list with a Link header, create, update, get,
// delete), a pull request, the token's own identity (GraphQL `{ viewer { login } }`, which
// answers for every kind of token, and GET /user, which answers 403 "Resource not accessible by
// integration" for installation tokens such as GITHUB_TOKEN and app tokens), and, when linked to
// the artifact service fake, a run's artifacts and the artifact download redirect that
// @actions/artifact follows for cross-run (findBy) downloads.
//
// Faults: a 403 secondary rate limit on the next N writes (the body Octokit's throttling plugin
// recognises: it matches /\bsecondary rate\b/i in the error message, which @octokit/request builds
// from the body's `message`, and waits for `retry-after` seconds), 5xx answers (optionally after
// the write took effect, as when a gateway times out), latency, answers cut short, and a
// read-only token (403 "Resource not accessible by integration" on every write, as fork PRs
// get). It listens on 127.0.0.1 only.
import crypto from 'node:crypto'
import http from 'node:http'
import { FaultRules, jsonOrText, pause, readRequest, sendBody, startEmulatorServer } from './emulator.js'
import { isoSeconds, repositoryIdOf, type ArtifactService } from './artifact-service.js'

export type GitHubRoute =
  | 'listComments'
  | 'getComment'
  | 'createComment'
  | 'updateComment'
  | 'deleteComment'
  | 'getPull'
  | 'listPullsForCommit'
  | 'listRunArtifacts'
  | 'getArtifact'
  | 'downloadArtifact'
  | 'deleteArtifact'
  | 'graphql'
  | 'getAuthenticatedUser'

export interface GitHubUser {
  login: string
  id: number
  node_id: string
  avatar_url: string
  url: string
  html_url: string
  type: 'User' | 'Bot'
  site_admin: boolean
}

export interface IssueComment {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  body: string
  user: GitHubUser
  created_at: string
  updated_at: string
  author_association: string
  performed_via_github_app: { id: number; slug: string; name: string } | null
  reactions: Record<string, number | string>
}

export interface RecordedGitHubRequest {
  route: GitHubRoute | 'unknown'
  method: string
  /** The path without the query string. */
  path: string
  query: Record<string, string>
  /** Lowercased header names. */
  headers: Record<string, string>
  /** The parsed JSON body, when there is one. */
  body?: any
  status?: number
  faulted?: boolean
}

export interface GitHubFault {
  /** The status answered; without one, the normal answer (after latencyMs, cut by truncate). */
  status?: number
  /** The JSON body; a GitHub-style `{message, documentation_url, status}` otherwise. */
  body?: unknown
  headers?: Record<string, string>
  /** Let the request take effect, then answer with the fault (a write that landed but whose answer was lost). */
  after?: boolean
  latencyMs?: number
  /**
   * Cut the answer's body to this many bytes (the status is the fault's): 'short-body' (default)
   * sends a well-formed response whose Content-Length says so; 'dropped-connection' announces
   * the full length and destroys the socket after those bytes.
   */
  truncate?: number
  truncateAs?: 'short-body' | 'dropped-connection'
  /** How many matching calls (together, over all routes of the fault) it applies to; default 1. */
  times?: number
}

export interface GitHubApiOptions {
  /** owner/name (default octo-org/octo-repo). */
  repository?: string
  /** The token requests must carry (default a fake installation token, see api.token). */
  token?: string
  /** Who writes with that token (default github-actions[bot], as with GITHUB_TOKEN). */
  actor?: { login: string; id: number; type: 'User' | 'Bot' }
  /**
   * An installation token (GITHUB_TOKEN, a GitHub App's token: GET /user answers 403) or a
   * user's token (a PAT, an OAuth token: GET /user answers the user). By default, from the
   * token's prefix: ghp_, github_pat_, gho_ and ghu_ are users' tokens.
   */
  tokenKind?: 'installation' | 'user'
  /** Serve the run artifact endpoints from this artifact service fake. */
  artifacts?: ArtifactService
  /** Start with a read-only token. */
  readOnly?: boolean
}

export interface GitHubApi {
  /** http://127.0.0.1:PORT (no trailing slash): the Octokit baseUrl / GITHUB_API_URL. */
  url: string
  repository: string
  token: string
  requests: RecordedGitHubRequest[]
  /** The comments of an issue or pull request, in id order (copies). */
  comments(issueNumber: number): IssueComment[]
  /** Adds `count` comments by other users (and another bot) to a pull request; returns them. */
  seedComments(issueNumber: number, count: number, options?: { login?: string; type?: 'User' | 'Bot'; body?: (i: number) => string }): IssueComment[]
  /** Overrides fields of GET /pulls/{n} (e.g. `{ head: {..., repo: {..., fork: true}} }`). */
  setPull(number: number, fields: Record<string, unknown>): void
  /** Answers the next matching call(s) of these routes with a fault. */
  fault(routes: GitHubRoute | GitHubRoute[], fault: GitHubFault): void
  /** Removes every fault not used up yet. */
  clearFaults(): void
  /** The next `count` create/update comment calls get a 403 secondary rate limit. */
  secondaryRateLimit(count: number, options?: { retryAfter?: number | null; routes?: GitHubRoute[] }): void
  /** The next `count` calls of `routes` (default create/update comment) get a 5xx. */
  serverError(count: number, options?: { status?: number; routes?: GitHubRoute[]; after?: boolean }): void
  /** A read-only token: every write answers 403 "Resource not accessible by integration". */
  setReadOnly(readOnly: boolean): void
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest'
const WRITE_PERMISSIONS: Partial<Record<GitHubRoute, { permissions: string; docs: string }>> = {
  createComment: { permissions: 'issues=write; pull_requests=write', docs: `${DOCS}/issues/comments#create-an-issue-comment` },
  updateComment: { permissions: 'issues=write; pull_requests=write', docs: `${DOCS}/issues/comments#update-an-issue-comment` },
  deleteComment: { permissions: 'issues=write; pull_requests=write', docs: `${DOCS}/issues/comments#delete-an-issue-comment` },
  deleteArtifact: { permissions: 'actions=write', docs: `${DOCS}/actions/artifacts#delete-an-artifact` },
}
const READ_PERMISSIONS: Partial<Record<GitHubRoute, string>> = {
  listComments: 'issues=read; pull_requests=read',
  getComment: 'issues=read; pull_requests=read',
  getPull: 'pull_requests=read',
  listPullsForCommit: 'contents=read; pull_requests=read',
  listRunArtifacts: 'actions=read',
  getArtifact: 'actions=read',
  downloadArtifact: 'actions=read',
}

export const GITHUB_ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const }
/** GitHub's limit on a comment body, in characters (GitHub counts code points). */
export const COMMENT_BODY_LIMIT = 65536

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message))
  }
}


function user(login: string, id: number, type: 'User' | 'Bot'): GitHubUser {
  const prefix = type === 'Bot' ? 'MDM6Qm90' : 'MDQ6VXNlcj'
  return {
    login,
    id,
    node_id: `${prefix}${Buffer.from(String(id)).toString('base64').replace(/=+$/, '')}`,
    avatar_url: type === 'Bot' ? `https://avatars.githubusercontent.com/in/${id % 100000}?v=4` : `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: type === 'Bot' ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}` : `https://github.com/${login}`,
    type,
    site_admin: false,
  }
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const repository = options.repository ?? 'octo-org/octo-repo'
  const [owner = '', repo = ''] = repository.split('/')
  const repositoryId = repositoryIdOf(repository)
  const token = options.token ?? 'ghs_fakeInstallationToken0123456789abcdef'
  const actorSpec = options.actor ?? GITHUB_ACTIONS_BOT
  const actor = user(actorSpec.login, actorSpec.id, actorSpec.type)
  const tokenKind = options.tokenKind ?? (/^(ghp_|github_pat_|gho_|ghu_)/.test(token) ? 'user' : 'installation')
  const requests: RecordedGitHubRequest[] = []
  const byIssue = new Map<number, IssueComment[]>()
  const byId = new Map<number, { issue: number; comment: IssueComment }>()
  const pulls = new Map<number, Record<string, unknown>>()
  const faults = new FaultRules<GitHubRoute, GitHubFault>()
  let readOnly = options.readOnly ?? false
  let nextCommentId = 2_400_000_001
  let remaining = 1000
  const resetAt = Math.floor(Date.now() / 1000) + 3600
  let url = ''

  const repoApi = () => `${url}/repos/${owner}/${repo}`

  function addComment(issue: number, body: string, author: GitHubUser, at: Date): IssueComment {
    const id = nextCommentId++
    const time = isoSeconds(at)
    const comment: IssueComment = {
      id,
      node_id: `IC_kwDO${Buffer.from(`${repositoryId}:${id}`).toString('base64url')}`,
      url: `${repoApi()}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${repoApi()}/issues/${issue}`,
      body,
      user: author,
      created_at: time,
      updated_at: time,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: author.login === GITHUB_ACTIONS_BOT.login ? { id: 15368, slug: 'github-actions', name: 'GitHub Actions' } : null,
      reactions: { url: `${repoApi()}/issues/comments/${id}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    }
    const list = byIssue.get(issue) ?? []
    list.push(comment)
    byIssue.set(issue, list)
    byId.set(id, { issue, comment })
    return comment
  }

  function pull(number: number): Record<string, unknown> {
    const sha = (s: string) => crypto.createHash('sha1').update(s).digest('hex')
    const author = user('octocat', 583231, 'User')
    const repoJson = { id: repositoryId, node_id: `R_kgDO${repositoryId}`, name: repo, full_name: repository, private: false, owner: user(owner, 9919, 'User'), fork: false, default_branch: 'main' }
    const created = isoSeconds(new Date(Date.now() - 86_400_000))
    return {
      url: `${repoApi()}/pulls/${number}`,
      id: 1_900_000_000 + number,
      node_id: `PR_kwDO${Buffer.from(`${repositoryId}:${number}`).toString('base64url')}`,
      html_url: `https://github.com/${repository}/pull/${number}`,
      diff_url: `https://github.com/${repository}/pull/${number}.diff`,
      patch_url: `https://github.com/${repository}/pull/${number}.patch`,
      issue_url: `${repoApi()}/issues/${number}`,
      comments_url: `${repoApi()}/issues/${number}/comments`,
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
      merge_commit_sha: sha(`merge/${number}`),
      draft: false,
      head: { label: `octocat:feature-${number}`, ref: `feature-${number}`, sha: sha(`head/${number}`), user: author, repo: repoJson },
      base: { label: `${owner}:main`, ref: 'main', sha: sha('base'), user: repoJson.owner, repo: repoJson },
      author_association: 'MEMBER',
      merged: false,
      mergeable: true,
      comments: byIssue.get(number)?.length ?? 0,
      commits: 1,
      additions: 10,
      deletions: 2,
      changed_files: 1,
      ...(pulls.get(number) ?? {}),
    }
  }

  const notFound = (docs: string) => new ApiError(404, { message: 'Not Found', documentation_url: docs, status: '404' })

  function commentBody(body: any, route: GitHubRoute): string {
    const docs = WRITE_PERMISSIONS[route]!.docs
    if (typeof body?.body !== 'string') throw new ApiError(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: docs, status: '422' })
    if (Array.from(body.body).length > COMMENT_BODY_LIMIT) {
      throw new ApiError(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` }],
        documentation_url: docs,
        status: '422',
      })
    }
    return body.body
  }

  /** Which route a request is, and its path parameters. */
  function match(method: string, pathname: string): { route: GitHubRoute | 'unknown'; params: string[] } {
    if (method === 'POST' && pathname === '/graphql') return { route: 'graphql', params: [] }
    if (method === 'GET' && pathname === '/user') return { route: 'getAuthenticatedUser', params: [] }
    const prefixes = [`/repos/${owner}/${repo}`, `/repositories/${repositoryId}`]
    const prefix = prefixes.find((p) => pathname.toLowerCase().startsWith(p.toLowerCase() + '/'))
    if (!prefix) return { route: 'unknown', params: [] }
    const rest = pathname.slice(prefix.length)
    const table: Array<[string, RegExp, GitHubRoute]> = [
      ['GET', /^\/issues\/(\d+)\/comments$/, 'listComments'],
      ['POST', /^\/issues\/(\d+)\/comments$/, 'createComment'],
      ['GET', /^\/issues\/comments\/(\d+)$/, 'getComment'],
      ['PATCH', /^\/issues\/comments\/(\d+)$/, 'updateComment'],
      ['DELETE', /^\/issues\/comments\/(\d+)$/, 'deleteComment'],
      ['GET', /^\/pulls\/(\d+)$/, 'getPull'],
      ['GET', /^\/commits\/([0-9a-f]{7,40})\/pulls$/, 'listPullsForCommit'],
      ['GET', /^\/actions\/runs\/(\d+)\/artifacts$/, 'listRunArtifacts'],
      ['GET', /^\/actions\/artifacts\/(\d+)$/, 'getArtifact'],
      ['GET', /^\/actions\/artifacts\/(\d+)\/([a-z]+)$/, 'downloadArtifact'],
      ['DELETE', /^\/actions\/artifacts\/(\d+)$/, 'deleteArtifact'],
    ]
    for (const [m, re, route] of table) {
      const found = m === method ? re.exec(rest) : null
      if (found) return { route, params: found.slice(1) }
    }
    return { route: 'unknown', params: [] }
  }

  /** per_page/page paging with GitHub's Link header (absolute /repositories/{id}/... URLs). */
  function page<T>(items: T[], query: URLSearchParams, linkPath: string): { slice: T[]; link?: string } {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page')) || 30))
    const current = Math.max(1, Number(query.get('page')) || 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const slice = items.slice((current - 1) * perPage, current * perPage)
    const link = (p: number) => {
      const q = new URLSearchParams(query)
      q.set('per_page', String(perPage))
      q.set('page', String(p))
      return `<${url}${linkPath}?${q.toString()}>`
    }
    const rels: string[] = []
    if (current > 1) rels.push(`${link(Math.min(current - 1, last))}; rel="prev"`)
    if (current < last) rels.push(`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`)
    if (current > 1) rels.push(`${link(1)}; rel="first"`)
    return { slice, link: rels.length ? rels.join(', ') : undefined }
  }

  function run(route: GitHubRoute, params: string[], query: URLSearchParams, body: any): { status: number; body?: unknown; headers?: Record<string, string> } {
    const artifacts = options.artifacts
    const artifactsDocs = `${DOCS}/actions/artifacts`
    switch (route) {
      case 'listComments': {
        const issue = Number(params[0])
        const since = query.get('since')
        const all = (byIssue.get(issue) ?? []).filter((c) => !since || Date.parse(c.updated_at) >= Date.parse(since))
        const { slice, link } = page(all, query, `/repositories/${repositoryId}/issues/${issue}/comments`)
        return { status: 200, body: slice, headers: link ? { link } : {} }
      }
      case 'createComment': {
        const text = commentBody(body, route)
        return { status: 201, body: addComment(Number(params[0]), text, actor, new Date()), headers: {} }
      }
      case 'getComment':
      case 'updateComment':
      case 'deleteComment': {
        const found = byId.get(Number(params[0]))
        if (!found) throw notFound(`${DOCS}/issues/comments`)
        if (route === 'getComment') return { status: 200, body: found.comment }
        if (route === 'deleteComment') {
          byId.delete(found.comment.id)
          const list = byIssue.get(found.issue)!
          list.splice(list.indexOf(found.comment), 1)
          return { status: 204 }
        }
        found.comment.body = commentBody(body, route)
        found.comment.updated_at = isoSeconds(new Date())
        return { status: 200, body: found.comment }
      }
      case 'getPull':
        return { status: 200, body: pull(Number(params[0])) }
      case 'listPullsForCommit': {
        // The PRs set up with setPull whose head is this commit, newest first, as GitHub lists them.
        const all = [...pulls.keys()].map(pull).filter((p) => (p.head as { sha: string }).sha === params[0]).reverse()
        const { slice, link } = page(all, query, `/repositories/${repositoryId}/commits/${params[0]}/pulls`)
        return { status: 200, body: slice, headers: link ? { link } : {} }
      }
      case 'listRunArtifacts': {
        if (!artifacts) throw notFound(artifactsDocs)
        const name = query.get('name')
        const all = artifacts.restArtifacts(repository, Number(params[0]), url).filter((a) => !name || a.name === name)
        const { slice, link } = page(all, query, `/repositories/${repositoryId}/actions/runs/${params[0]}/artifacts`)
        return { status: 200, body: { total_count: all.length, artifacts: slice }, headers: link ? { link } : {} }
      }
      case 'getArtifact': {
        const found = findArtifact(Number(params[0]))
        if (!found) throw notFound(artifactsDocs)
        return { status: 200, body: found }
      }
      case 'downloadArtifact': {
        if (params[1] !== 'zip') throw notFound(artifactsDocs)
        const found = findArtifact(Number(params[0]))
        if (!found) throw notFound(artifactsDocs)
        if (found.expired) throw new ApiError(410, { message: 'Artifact has expired', documentation_url: `${artifactsDocs}#download-an-artifact`, status: '410' })
        const location = artifacts!.signedDownloadUrl(repository, found.id)
        if (!location) throw notFound(artifactsDocs)
        return { status: 302, headers: { location } }
      }
      case 'deleteArtifact': {
        if (!artifacts?.deleteArtifact(repository, Number(params[0]))) throw notFound(artifactsDocs)
        return { status: 204 }
      }
      case 'getAuthenticatedUser':
        if (tokenKind === 'installation')
          throw new ApiError(403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/users/users#get-the-authenticated-user`, status: '403' })
        return { status: 200, body: actor }
      case 'graphql':
        return { status: 200, body: graphql(body) }
    }
  }

  /**
   * The one GraphQL query the Action makes, `{ viewer { login } }`, answered as GitHub does
   * for this token (the app's `<slug>[bot]` for an installation token); anything else gets
   * GraphQL's error shape, with HTTP 200 as GitHub answers it.
   */
  function graphql(body: any): unknown {
    const query = typeof body?.query === 'string' ? body.query : ''
    if (/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) return { data: { viewer: { login: actor.login } } }
    return { errors: [{ type: 'UNSUPPORTED', message: `the GitHub API emulator answers only { viewer { login } }, not: ${query.slice(0, 80)}` }] }
  }

  /** A finalized artifact of this repository by id, over every run. */
  function findArtifact(id: number) {
    const artifacts = options.artifacts
    if (!artifacts) return undefined
    const owning = artifacts.artifacts({ repository, finalized: true }).find((a) => a.id === id)
    return owning ? artifacts.restArtifacts(repository, owning.runId, url).find((a) => a.id === id) : undefined
  }

  const takeFault = (route: GitHubRoute | 'unknown') => (route === 'unknown' ? undefined : faults.take(route))

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const { url: parsed, method, headers, body: raw } = await readRequest(req)
    const body = jsonOrText(raw) as any
    const { route, params } = match(method, parsed.pathname)
    const record: RecordedGitHubRequest = { route, method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), headers, body }
    requests.push(record)

    remaining = Math.max(0, remaining - 1)
    const common: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `${crypto.randomBytes(2).toString('hex').toUpperCase()}:${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-used': String(1000 - remaining),
      'x-ratelimit-resource': 'core',
    }
    const permissions = route === 'unknown' ? undefined : (WRITE_PERMISSIONS[route]?.permissions ?? READ_PERMISSIONS[route])
    if (permissions) common['x-accepted-github-permissions'] = permissions
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}, cut?: Pick<GitHubFault, 'truncate' | 'truncateAs'>) => {
      record.status = status
      const text = payload === undefined ? '' : JSON.stringify(payload)
      const h = { ...common, ...extra }
      if (text === '') delete (h as Record<string, string>)['content-type']
      const mode = cut?.truncateAs === 'dropped-connection' ? ('dropped' as const) : ('short' as const)
      sendBody(res, status, h, Buffer.from(text), cut?.truncate === undefined ? undefined : { bytes: cut.truncate, mode })
    }

    const auth = /^(?:token|bearer)\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]
    if (!auth) return send(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' })
    if (auth !== token) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
    if (route === 'unknown') return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })

    const fault = takeFault(route)
    if (fault) record.faulted = true
    if (fault?.latencyMs) await pause(fault.latencyMs, req)
    // The fault's status with its error body; or, after the request took effect, the real answer
    // (with the fault's status when it has one) when the fault only delays or cuts it.
    const faultAnswer = (f: GitHubFault, answer?: { status: number; body?: unknown; headers?: Record<string, string> }) => {
      if (answer && (f.status === undefined || f.truncate !== undefined)) {
        const status = f.status ?? answer.status
        return send(status, status === 204 || status === 302 ? undefined : answer.body, { ...answer.headers, ...f.headers }, f)
      }
      const status = f.status ?? 500
      send(status, f.body ?? { message: http.STATUS_CODES[status] ?? 'Error', documentation_url: DOCS, status: String(status) }, f.headers, f)
    }
    if (fault && !fault.after && fault.status !== undefined) return faultAnswer(fault)

    const write = WRITE_PERMISSIONS[route]
    if (write && readOnly) return send(403, { message: 'Resource not accessible by integration', documentation_url: write.docs, status: '403' })
    try {
      const answer = run(route, params, parsed.searchParams, body)
      if (fault) return faultAnswer(fault, answer)
      send(answer.status, answer.status === 204 || answer.status === 302 ? undefined : answer.body, answer.headers)
    } catch (e) {
      if (e instanceof ApiError) return send(e.status, e.body)
      send(500, { message: String((e as Error)?.stack ?? e), documentation_url: DOCS, status: '500' })
    }
  }

  const server = await startEmulatorServer(handle)
  url = server.url

  const api: GitHubApi = {
    url,
    repository,
    token,
    requests,
    comments: (issue) => (byIssue.get(issue) ?? []).map((c) => structuredClone(c)),
    seedComments(issue, count, opts = {}) {
      const out: IssueComment[] = []
      const start = Date.now() - count * 60_000
      for (let i = 0; i < count; i++) {
        // Mostly people, with another bot now and then, the way real PR threads look.
        const type = opts.type ?? (i % 7 === 3 ? 'Bot' : 'User')
        const login = opts.login ?? (type === 'Bot' ? 'dependabot[bot]' : `reviewer-${i % 5}`)
        const id = type === 'Bot' ? 49699333 : 7_000_000 + (i % 5)
        const text = opts.body ? opts.body(i) : `Unrelated comment ${i + 1} on #${issue}.`
        out.push(structuredClone(addComment(issue, text, user(login, id, type), new Date(start + i * 60_000))))
      }
      return out
    },
    setPull(number, fields) {
      pulls.set(number, { ...(pulls.get(number) ?? {}), ...fields })
    },
    fault: (routes, fault) => faults.add(routes, fault, fault.times ?? 1),
    clearFaults: () => faults.clear(),
    secondaryRateLimit(count, opts = {}) {
      const retryAfter = opts.retryAfter === undefined ? 60 : opts.retryAfter
      api.fault(opts.routes ?? ['createComment', 'updateComment'], {
        status: 403,
        times: count,
        headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
        body: {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${crypto.randomBytes(4).toString('hex').toUpperCase()} and timestamp ${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`,
          documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        },
      })
    },
    serverError(count, opts = {}) {
      api.fault(opts.routes ?? ['createComment', 'updateComment'], { status: opts.status ?? 502, times: count, after: opts.after })
    },
    setReadOnly(value) {
      readOnly = value
    },
    close: () => server.close(),
  }
  return api
}

/**
 * What the runner and the action's inputs give for REST calls, pointed at the fake:
 * GITHUB_API_URL (used by @actions/github and the artifact client's findBy paths),
 * GITHUB_GRAPHQL_URL, GITHUB_SERVER_URL, the repository variables, and the action's
 * `github-token` input (INPUT_GITHUB-TOKEN, what core.getInput('github-token') reads).
 */
export function githubEnv(api: GitHubApi): Record<string, string> {
  const [owner = ''] = api.repository.split('/')
  return {
    GITHUB_API_URL: api.url,
    GITHUB_GRAPHQL_URL: `${api.url}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: api.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_REPOSITORY_ID: String(repositoryIdOf(api.repository)),
    'INPUT_GITHUB-TOKEN': api.token,
  }
}
