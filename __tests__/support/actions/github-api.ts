// A loopback fake of the GitHub REST API endpoints the Action uses, with GitHub's shapes,
// status codes and messages. Each part serves one idea:
// - github-issues.ts: an issue's (or pull request's) comments and labels;
// - github-pulls.ts: pull requests (get, list, create, update) and their files' patches;
// - github-reviews.ts: reviews with inline comments placed on those patches (github-diff.ts);
// - github-git.ts: the git data API (blobs, trees, commits, refs), the repository and branches;
// - github-artifacts.ts: a run's artifacts, when linked to the artifact service fake;
// - here: the token's own identity (GraphQL `{ viewer { login } }`, which answers for every kind
//   of token, and GET /user, which answers 403 "Resource not accessible by integration" for
//   installation tokens such as GITHUB_TOKEN and app tokens), routing, auth and faults.
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
import { repositoryIdOf, type ArtifactService } from './artifact-service.js'
import { artifactRoutes } from './github-artifacts.js'
import { ApiError, DOCS, GITHUB_ACTIONS_BOT, user, type Answer, type GitHubFault, type GitHubRoute, type RecordedGitHubRequest, type RepoContext, type RouteDef } from './github-common.js'
import { createGit } from './github-git.js'
import type { GitCommit } from './github-git-objects.js'
import { createIssues, type IssueComment } from './github-issues.js'
import { createPulls, type PullFileSpec } from './github-pulls.js'
import { createReviews, type PullReview, type ReviewComment } from './github-reviews.js'

export { GITHUB_ACTIONS_BOT, type GitHubFault, type GitHubRoute, type GitHubUser, type RecordedGitHubRequest } from './github-common.js'
export { COMMENT_BODY_LIMIT, type IssueComment } from './github-issues.js'
export type { PullFileSpec } from './github-pulls.js'
export type { PullReview, ReviewComment } from './github-reviews.js'
export type { GitCommit } from './github-git-objects.js'

export interface GitHubApiOptions {
  /** owner/name (default octo-org/octo-repo). */
  repository?: string
  /** The repository's default branch (default main): the base of default pull requests. */
  defaultBranch?: string
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
  /** Every route that writes (each answers 403 to a read-only token). */
  writeRoutes: GitHubRoute[]
  /** The comments of an issue or pull request, in id order (copies). */
  comments(issueNumber: number): IssueComment[]
  /** Adds `count` comments by other users (and another bot) to a pull request; returns them. */
  seedComments(issueNumber: number, count: number, options?: { login?: string; type?: 'User' | 'Bot'; body?: (i: number) => string }): IssueComment[]
  /** The label names of an issue or pull request, in the order they were added. */
  labels(issueNumber: number): string[]
  setLabels(issueNumber: number, names: string[]): void
  /** Overrides fields of GET /pulls/{n} (e.g. `{ head: {..., repo: {..., fork: true}} }`); lists the PR. */
  setPull(number: number, fields: Record<string, unknown>): void
  /** The files of a pull request with their patches (GET /pulls/{n}/files; review comments are placed on them). */
  setPullFiles(number: number, files: PullFileSpec[]): void
  /** GET /pulls/{n}'s JSON. */
  pull(number: number): Record<string, any>
  /** The pull requests set up or created, newest first. */
  pulls(): Record<string, any>[]
  /** The reviews of a pull request, and their inline comments (copies). */
  reviews(number: number): PullReview[]
  reviewComments(number: number): ReviewComment[]
  /**
   * Commits `files` (path → content) as the whole tree of `branch`: on its tip, or on `from`'s
   * tip for a new branch (else a root commit). Returns the commit's and the tree's sha.
   */
  seedBranch(branch: string, files: Record<string, string | Buffer>, options?: { message?: string; from?: string }): { commit: string; tree: string }
  /** The commit a branch points at. */
  branchSha(branch: string): string | undefined
  /** The files (path → UTF-8 text) of a branch or a commit. */
  files(branchOrSha: string): Record<string, string> | undefined
  /** A commit of the git data fake (its tree, parents, message, author, whether GitHub signed it). */
  gitCommit(sha: string): GitCommit | undefined
  /** Answers the next matching call(s) of these routes with a fault. */
  fault(routes: GitHubRoute | GitHubRoute[], fault: GitHubFault): void
  /** Removes every fault not used up yet. */
  clearFaults(): void
  /** The next `count` create/update comment calls (or of `routes`) get a 403 secondary rate limit. */
  secondaryRateLimit(count: number, options?: { retryAfter?: number | null; routes?: GitHubRoute[] }): void
  /** The next `count` calls of `routes` (default create/update comment) get a 5xx. */
  serverError(count: number, options?: { status?: number; routes?: GitHubRoute[]; after?: boolean }): void
  /** A read-only token: every write answers 403 "Resource not accessible by integration". */
  setReadOnly(readOnly: boolean): void
  close(): Promise<void>
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const repository = options.repository ?? 'octo-org/octo-repo'
  const [owner = '', repo = ''] = repository.split('/')
  const repositoryId = repositoryIdOf(repository)
  const token = options.token ?? 'ghs_fakeInstallationToken0123456789abcdef'
  const actorSpec = options.actor ?? GITHUB_ACTIONS_BOT
  const actor = user(actorSpec.login, actorSpec.id, actorSpec.type)
  const tokenKind = options.tokenKind ?? (/^(ghp_|github_pat_|gho_|ghu_)/.test(token) ? 'user' : 'installation')
  const defaultBranch = options.defaultBranch ?? 'main'
  const requests: RecordedGitHubRequest[] = []
  const faults = new FaultRules<GitHubRoute, GitHubFault>()
  let readOnly = options.readOnly ?? false
  let remaining = 1000
  const resetAt = Math.floor(Date.now() / 1000) + 3600
  let url = ''

  const ctx: RepoContext = { owner, repo, repository, repositoryId, actor, url: () => url, repoApi: () => `${url}/repos/${owner}/${repo}` }
  const issues = createIssues(ctx)
  const git = createGit(ctx, defaultBranch)
  const pulls = createPulls(ctx, { git, defaultBranch, commentCount: issues.commentCount, numbersInUse: issues.numbersInUse })
  const reviews = createReviews(ctx, { pull: pulls.pull, patchOf: (n, path) => pulls.files(n).find((f) => f.filename === path)?.patch })
  const repoRoutes: RouteDef[] = [...issues.routes, ...pulls.routes, ...reviews.routes, ...git.routes, ...artifactRoutes(ctx, options.artifacts)]
  const identityRoutes: RouteDef[] = [
    { method: 'POST', pattern: /^\/graphql$/, route: 'graphql', run: (_p, _q, body) => ({ status: 200, body: graphql(body) }) },
    {
      method: 'GET',
      pattern: /^\/user$/,
      route: 'getAuthenticatedUser',
      run: () => {
        if (tokenKind === 'installation') throw new ApiError(403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/users/users#get-the-authenticated-user`, status: '403' })
        return { status: 200, body: actor }
      },
    },
  ]

  /** Which route a request is, and its (URL-decoded) path parameters. */
  function match(method: string, pathname: string): { def?: RouteDef; params: string[] } {
    const find = (defs: RouteDef[], path: string) => {
      for (const def of defs) {
        const found = def.method === method ? def.pattern.exec(path) : null
        if (found) return { def, params: found.slice(1).map((p) => safeDecode(p ?? '')) }
      }
      return { params: [] }
    }
    const prefix = [`/repos/${owner}/${repo}`, `/repositories/${repositoryId}`].find((p) => pathname.toLowerCase() === p.toLowerCase() || pathname.toLowerCase().startsWith(p.toLowerCase() + '/'))
    return prefix ? find(repoRoutes, pathname.slice(prefix.length)) : find(identityRoutes, pathname)
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

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const { url: parsed, method, headers, body: raw } = await readRequest(req)
    const body = jsonOrText(raw) as any
    const { def, params } = match(method, parsed.pathname)
    const route = def?.route ?? 'unknown'
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
    const permissions = def?.write?.permissions ?? def?.read
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
    if (!def) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' })

    const fault = faults.take(def.route)
    if (fault) record.faulted = true
    if (fault?.latencyMs) await pause(fault.latencyMs, req)
    // The fault's status with its error body; or, after the request took effect, the real answer
    // (with the fault's status when it has one) when the fault only delays or cuts it.
    const faultAnswer = (f: GitHubFault, answer?: Answer) => {
      if (answer && (f.status === undefined || f.truncate !== undefined)) {
        const status = f.status ?? answer.status
        return send(status, status === 204 || status === 302 ? undefined : answer.body, { ...answer.headers, ...f.headers }, f)
      }
      const status = f.status ?? 500
      send(status, f.body ?? { message: http.STATUS_CODES[status] ?? 'Error', documentation_url: DOCS, status: String(status) }, f.headers, f)
    }
    if (fault && !fault.after && fault.status !== undefined) return faultAnswer(fault)

    if (def.write && readOnly) return send(403, { message: 'Resource not accessible by integration', documentation_url: def.write.docs, status: '403' })
    try {
      const answer = def.run(params, parsed.searchParams, body)
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
    writeRoutes: [...repoRoutes, ...identityRoutes].filter((d) => d.write).map((d) => d.route),
    comments: issues.comments,
    seedComments: issues.seedComments,
    labels: issues.labels,
    setLabels: issues.setLabels,
    setPull: pulls.setPull,
    setPullFiles: pulls.setPullFiles,
    pull: pulls.pull,
    pulls: pulls.pulls,
    reviews: reviews.reviews,
    reviewComments: reviews.reviewComments,
    seedBranch: git.seedBranch,
    branchSha: git.branchTip,
    files: git.files,
    gitCommit: git.commit,
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

function safeDecode(param: string): string {
  try {
    return decodeURIComponent(param)
  } catch {
    return param
  }
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
