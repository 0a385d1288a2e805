// What the parts of the GitHub REST fake share: the route names (the fault rules' vocabulary),
// GitHub's user shape, errors answered as GitHub's JSON bodies, Link-header paging, and the
// route table entry each part contributes (method, path pattern, permissions, handler).

export type GitHubRoute =
  | 'listComments'
  | 'getComment'
  | 'createComment'
  | 'updateComment'
  | 'deleteComment'
  | 'listLabels'
  | 'addLabels'
  | 'removeLabel'
  | 'getRepo'
  | 'getBranch'
  | 'getPull'
  | 'listPulls'
  | 'createPull'
  | 'updatePull'
  | 'listPullFiles'
  | 'listPullsForCommit'
  | 'listReviews'
  | 'createReview'
  | 'listReviewComments'
  | 'listPullReviewComments'
  | 'createReviewComment'
  | 'createBlob'
  | 'getBlob'
  | 'createTree'
  | 'getTree'
  | 'createCommit'
  | 'getCommit'
  | 'getRef'
  | 'createRef'
  | 'updateRef'
  | 'deleteRef'
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

export const DOCS = 'https://docs.github.com/rest'
export const GITHUB_ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' as const }

/** An answer of a route: its status, JSON body and extra headers. */
export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** One entry of the route table: paths are matched after /repos/{owner}/{repo} (or /repositories/{id}). */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  pattern: RegExp
  route: GitHubRoute
  /** A write: refused with 403 for a read-only token; `permissions` goes in x-accepted-github-permissions. */
  write?: { permissions: string; docs: string }
  /** The fine-grained permissions a read needs (x-accepted-github-permissions). */
  read?: string
  /** Path parameters arrive URL-decoded (a ref or a label name may hold a %2F). */
  run(params: string[], query: URLSearchParams, body: any): Answer
}

/** What every part of the fake knows about the repository it serves. */
export interface RepoContext {
  owner: string
  repo: string
  /** owner/name */
  repository: string
  repositoryId: number
  /** Who writes with the token. */
  actor: GitHubUser
  /** http://127.0.0.1:PORT, known once the server listens. */
  url(): string
  /** `${url}/repos/{owner}/{repo}` */
  repoApi(): string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message))
  }
}

export const notFound = (docs: string, message = 'Not Found') => new ApiError(404, { message, documentation_url: docs, status: '404' })

/** GitHub's 422 with `errors`: objects ({resource, field, code}) or plain sentences. */
export function unprocessable(docs: string, errors: unknown[], message = 'Validation Failed'): ApiError {
  return new ApiError(422, { message, errors, documentation_url: docs, status: '422' })
}

/** A 422 whose message says it all (the git data API answers this way: "Reference already exists"). */
export const refused = (docs: string, message: string) => new ApiError(422, { message, documentation_url: docs, status: '422' })

export function user(login: string, id: number, type: 'User' | 'Bot'): GitHubUser {
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

/** A GraphQL-style node id, as GitHub's look (`PR_kwDO…`). */
export const nodeId = (prefix: string, ctx: RepoContext, id: number | string) => `${prefix}_kwDO${Buffer.from(`${ctx.repositoryId}:${id}`).toString('base64url')}`

/**
 * per_page/page paging with GitHub's Link header (absolute /repositories/{id}/... URLs, as
 * GitHub gives them), answered as a 200 list.
 */
export function pagedList<T>(ctx: RepoContext, items: T[], query: URLSearchParams, repoPath: string, wrap: (slice: T[]) => unknown = (s) => s): Answer {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page')) || 30))
  const current = Math.max(1, Number(query.get('page')) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((current - 1) * perPage, current * perPage)
  const link = (p: number) => {
    const q = new URLSearchParams(query)
    q.set('per_page', String(perPage))
    q.set('page', String(p))
    return `<${ctx.url()}/repositories/${ctx.repositoryId}${repoPath}?${q.toString()}>`
  }
  const rels: string[] = []
  if (current > 1) rels.push(`${link(Math.min(current - 1, last))}; rel="prev"`)
  if (current < last) rels.push(`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`)
  if (current > 1) rels.push(`${link(1)}; rel="first"`)
  return { status: 200, body: wrap(slice), headers: rels.length ? { link: rels.join(', ') } : {} }
}
