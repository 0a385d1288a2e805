// The issue side of a pull request in the GitHub REST fake: its comments (paginated list,
// create, get, update, delete, with GitHub's 65536-character limit) and its labels (list, add
// — creating a label the repository lacks, as GitHub does — and remove, 404 when absent).
import { isoSeconds } from './artifact-service.js'
import { DOCS, GITHUB_ACTIONS_BOT, nodeId, notFound, pagedList, unprocessable, ApiError, user, type GitHubUser, type RepoContext, type RouteDef } from './github-common.js'

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

export interface IssueLabel {
  id: number
  node_id: string
  url: string
  name: string
  color: string
  default: boolean
  description: string | null
}

/** GitHub's limit on a comment body, in characters (GitHub counts code points). */
export const COMMENT_BODY_LIMIT = 65536

const COMMENTS_DOCS = `${DOCS}/issues/comments`
const LABELS_DOCS = `${DOCS}/issues/labels`
const ISSUE_WRITE = 'issues=write; pull_requests=write'

export function createIssues(ctx: RepoContext) {
  const byIssue = new Map<number, IssueComment[]>()
  const byId = new Map<number, { issue: number; comment: IssueComment }>()
  const repoLabels = new Map<string, IssueLabel>()
  const issueLabels = new Map<number, string[]>()
  let nextCommentId = 2_400_000_001
  let nextLabelId = 5_100_000_001

  function addComment(issue: number, body: string, author: GitHubUser, at: Date): IssueComment {
    const id = nextCommentId++
    const time = isoSeconds(at)
    const api = ctx.repoApi()
    const comment: IssueComment = {
      id,
      node_id: nodeId('IC', ctx, id),
      url: `${api}/issues/comments/${id}`,
      html_url: `https://github.com/${ctx.repository}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${api}/issues/${issue}`,
      body,
      user: author,
      created_at: time,
      updated_at: time,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: author.login === GITHUB_ACTIONS_BOT.login ? { id: 15368, slug: 'github-actions', name: 'GitHub Actions' } : null,
      reactions: { url: `${api}/issues/comments/${id}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    }
    const list = byIssue.get(issue) ?? []
    list.push(comment)
    byIssue.set(issue, list)
    byId.set(id, { issue, comment })
    return comment
  }

  function commentBody(body: any, docs: string): string {
    if (typeof body?.body !== 'string') throw new ApiError(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: docs, status: '422' })
    if (Array.from(body.body).length > COMMENT_BODY_LIMIT) {
      throw unprocessable(docs, [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)` }])
    }
    return body.body
  }

  function label(name: string): IssueLabel {
    const known = [...repoLabels.values()].find((l) => l.name.toLowerCase() === name.toLowerCase())
    if (known) return known
    const id = nextLabelId++
    const created = { id, node_id: nodeId('LA', ctx, id), url: `${ctx.repoApi()}/labels/${encodeURIComponent(name)}`, name, color: 'ededed', default: false, description: null }
    repoLabels.set(name, created)
    return created
  }

  const labelsOf = (issue: number) => (issueLabels.get(issue) ?? []).map((name) => label(name))

  /** `labels` as GitHub takes it: ["a", "b"], [{name: "a"}], or the body itself an array. */
  function labelNames(body: any): string[] {
    const list = Array.isArray(body) ? body : body?.labels
    const names = Array.isArray(list) ? list.map((l: any) => (typeof l === 'string' ? l : l?.name)) : undefined
    if (!names || names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) {
      throw unprocessable(`${LABELS_DOCS}#add-labels-to-an-issue`, [{ resource: 'Label', code: 'invalid', field: 'labels' }], 'Invalid request.\n\nInvalid input: `labels` must be a non-empty array of names.')
    }
    return names
  }

  const routes: RouteDef[] = [
    {
      method: 'GET',
      pattern: /^\/issues\/(\d+)\/comments$/,
      route: 'listComments',
      read: 'issues=read; pull_requests=read',
      run: ([issue], query) => {
        const since = query.get('since')
        const all = (byIssue.get(Number(issue)) ?? []).filter((c) => !since || Date.parse(c.updated_at) >= Date.parse(since))
        return pagedList(ctx, all, query, `/issues/${issue}/comments`)
      },
    },
    {
      method: 'POST',
      pattern: /^\/issues\/(\d+)\/comments$/,
      route: 'createComment',
      write: { permissions: ISSUE_WRITE, docs: `${COMMENTS_DOCS}#create-an-issue-comment` },
      run: ([issue], _q, body) => ({ status: 201, body: addComment(Number(issue), commentBody(body, `${COMMENTS_DOCS}#create-an-issue-comment`), ctx.actor, new Date()) }),
    },
    { method: 'GET', pattern: /^\/issues\/comments\/(\d+)$/, route: 'getComment', read: 'issues=read; pull_requests=read', run: ([id]) => ({ status: 200, body: found(id).comment }) },
    {
      method: 'PATCH',
      pattern: /^\/issues\/comments\/(\d+)$/,
      route: 'updateComment',
      write: { permissions: ISSUE_WRITE, docs: `${COMMENTS_DOCS}#update-an-issue-comment` },
      run: ([id], _q, body) => {
        const { comment } = found(id)
        comment.body = commentBody(body, `${COMMENTS_DOCS}#update-an-issue-comment`)
        comment.updated_at = isoSeconds(new Date())
        return { status: 200, body: comment }
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/issues\/comments\/(\d+)$/,
      route: 'deleteComment',
      write: { permissions: ISSUE_WRITE, docs: `${COMMENTS_DOCS}#delete-an-issue-comment` },
      run: ([id]) => {
        const { issue, comment } = found(id)
        byId.delete(comment.id)
        const list = byIssue.get(issue)!
        list.splice(list.indexOf(comment), 1)
        return { status: 204 }
      },
    },
    { method: 'GET', pattern: /^\/issues\/(\d+)\/labels$/, route: 'listLabels', read: 'issues=read; pull_requests=read', run: ([issue], query) => pagedList(ctx, labelsOf(Number(issue)), query, `/issues/${issue}/labels`) },
    {
      method: 'POST',
      pattern: /^\/issues\/(\d+)\/labels$/,
      route: 'addLabels',
      write: { permissions: ISSUE_WRITE, docs: `${LABELS_DOCS}#add-labels-to-an-issue` },
      run: ([issue], _q, body) => {
        const names = issueLabels.get(Number(issue)) ?? []
        for (const name of labelNames(body)) if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(label(name).name)
        issueLabels.set(Number(issue), names)
        return { status: 200, body: labelsOf(Number(issue)) }
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/issues\/(\d+)\/labels\/([^/]+)$/,
      route: 'removeLabel',
      write: { permissions: ISSUE_WRITE, docs: `${LABELS_DOCS}#remove-a-label-from-an-issue` },
      run: ([issue, name]) => {
        const names = issueLabels.get(Number(issue)) ?? []
        const at = names.findIndex((n) => n.toLowerCase() === name!.toLowerCase())
        if (at < 0) throw notFound(`${LABELS_DOCS}#remove-a-label-from-an-issue`, 'Label does not exist')
        names.splice(at, 1)
        return { status: 200, body: labelsOf(Number(issue)) }
      },
    },
  ]

  function found(id: string | undefined) {
    const entry = byId.get(Number(id))
    if (!entry) throw notFound(COMMENTS_DOCS)
    return entry
  }

  return {
    routes,
    /** The comments of an issue or pull request, in id order (copies). */
    comments: (issue: number) => (byIssue.get(issue) ?? []).map((c) => structuredClone(c)),
    commentCount: (issue: number) => byIssue.get(issue)?.length ?? 0,
    /** The label names of an issue or pull request, in the order they were added. */
    labels: (issue: number) => [...(issueLabels.get(issue) ?? [])],
    setLabels: (issue: number, names: string[]) => issueLabels.set(issue, names.map((n) => label(n).name)),
    /** Issue numbers that have comments or labels (a new pull request takes a number above them). */
    numbersInUse: () => [...byIssue.keys(), ...issueLabels.keys()],
    seedComments(issue: number, count: number, opts: { login?: string; type?: 'User' | 'Bot'; body?: (i: number) => string } = {}): IssueComment[] {
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
  }
}
