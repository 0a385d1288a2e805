// The git data API of the GitHub REST fake, enough to make a commit the way an Action does
// without a clone: blobs, trees (base_tree + changes), commits (signed, `verification.verified`,
// when GitHub writes them as the token's identity), refs (create, update with a fast-forward
// check unless forced, delete), plus GET of the repository (default_branch) and of a branch.
// Objects carry their real git ids (github-git-objects.ts). Answers and messages are GitHub's.
import { isoSeconds } from './artifact-service.js'
import { DOCS, nodeId, notFound, refused, type RepoContext, type RouteDef } from './github-common.js'
import { GitObjectError, GitObjects, type GitCommit, type GitPerson, type PathChange } from './github-git-objects.js'

const GIT_DOCS = `${DOCS}/git`
const CONTENTS_WRITE = 'contents=write'
const MODES = new Set(['100644', '100755', '040000', '160000', '120000'])

export function createGit(ctx: RepoContext, defaultBranch: string) {
  const objects = new GitObjects()
  const refs = new Map<string, string>()
  const blobUrl = (sha: string) => `${ctx.repoApi()}/git/blobs/${sha}`
  const treeUrl = (sha: string) => `${ctx.repoApi()}/git/trees/${sha}`
  const commitUrl = (sha: string) => `${ctx.repoApi()}/git/commits/${sha}`
  const tokenPerson = (): GitPerson => ({ name: ctx.actor.login, email: `${ctx.actor.id}+${ctx.actor.login}@users.noreply.github.com`, date: isoSeconds(new Date()) })

  function treeJson(sha: string, recursive: boolean) {
    const entries = recursive ? objects.walk(sha) : (objects.trees.get(sha) ?? []).map((e) => ({ ...e, path: e.name }))
    const tree = entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob' ? { size: objects.blobs.get(e.sha)?.length ?? 0, url: blobUrl(e.sha) } : e.type === 'tree' ? { url: treeUrl(e.sha) } : {}),
    }))
    return { sha, url: treeUrl(sha), tree, truncated: false }
  }

  function commitJson(c: GitCommit) {
    return {
      sha: c.sha,
      node_id: nodeId('C', ctx, c.sha),
      url: commitUrl(c.sha),
      html_url: `https://github.com/${ctx.repository}/commit/${c.sha}`,
      author: c.author,
      committer: c.committer,
      tree: { sha: c.tree, url: treeUrl(c.tree) },
      message: c.message,
      parents: c.parents.map((p) => ({ sha: p, url: commitUrl(p), html_url: `https://github.com/${ctx.repository}/commit/${p}` })),
      verification: c.verified
        ? { verified: true, reason: 'valid', signature: '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJ-fake-\n-----END PGP SIGNATURE-----\n', payload: `tree ${c.tree}\n`, verified_at: c.committer.date }
        : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    }
  }

  function refJson(ref: string) {
    const sha = refs.get(ref)!
    return { ref, node_id: nodeId('REF', ctx, ref), url: `${ctx.repoApi()}/git/${ref}`, object: { sha, type: 'commit', url: commitUrl(sha) } }
  }

  /** The tree changes of a POST /git/trees body, each blob written when given as content. */
  function pathChanges(tree: unknown, docs: string): PathChange[] {
    if (!Array.isArray(tree)) throw refused(docs, 'Invalid request.\n\n"tree" wasn\'t supplied.')
    return tree.map((item: any): PathChange => {
      if (typeof item?.path !== 'string' || !MODES.has(item.mode) || !['blob', 'tree', 'commit'].includes(item.type)) throw refused(docs, 'Invalid tree info')
      if ('content' in item && item.sha !== undefined) throw refused(docs, 'Must supply either tree.sha or tree.content. Request will fail if both are supplied.')
      if (typeof item.content === 'string') return { path: item.path, entry: { mode: item.mode, type: 'blob', sha: objects.writeBlob(Buffer.from(item.content, 'utf8')) } }
      if (item.sha === null) return { path: item.path, entry: null }
      const known = item.type === 'blob' ? objects.blobs.has(item.sha) : item.type === 'tree' ? objects.trees.has(item.sha) : /^[0-9a-f]{40}$/.test(item.sha)
      if (!known) throw refused(docs, `tree.sha ${item.sha} is not a valid ${item.type}`)
      return { path: item.path, entry: { mode: item.type === 'tree' ? '040000' : item.mode, type: item.type, sha: item.sha } }
    })
  }

  function person(given: any, docs: string): GitPerson | undefined {
    if (given === undefined) return undefined
    if (typeof given?.name !== 'string' || typeof given?.email !== 'string') throw refused(docs, 'Invalid request.\n\n"name" and "email" are required.')
    return { name: given.name, email: given.email, date: typeof given.date === 'string' ? isoSeconds(new Date(given.date)) : isoSeconds(new Date()) }
  }

  function commitWith(body: any): GitCommit {
    const docs = `${GIT_DOCS}/commits#create-a-commit`
    if (typeof body?.message !== 'string') throw refused(docs, 'Invalid request.\n\n"message" wasn\'t supplied.')
    if (typeof body.tree !== 'string' || !objects.trees.has(body.tree)) throw refused(docs, 'Tree SHA does not exist')
    const parents: string[] = body.parents ?? []
    if (!Array.isArray(parents) || parents.some((p) => !objects.commits.has(p))) throw refused(docs, 'Parent SHA does not exist or is not a commit object')
    const author = person(body.author, docs)
    const committer = person(body.committer, docs)
    // GitHub signs the commits it writes as the token's identity, not those given a committer.
    return objects.writeCommit({ tree: body.tree, parents, message: body.message, author: author ?? committer ?? tokenPerson(), committer: committer ?? author ?? tokenPerson(), verified: committer === undefined })
  }

  function setRef(ref: string, sha: unknown, docs: string, force: boolean): void {
    if (typeof sha !== 'string' || !objects.commits.has(sha)) throw refused(docs, 'Object does not exist')
    const current = refs.get(ref)
    if (current !== undefined && !force && !objects.isAncestor(current, sha)) throw refused(docs, 'Update is not a fast forward')
    refs.set(ref, sha)
  }

  const objectOr404 = <T>(value: T | undefined, docs: string): T => {
    if (value === undefined) throw notFound(docs)
    return value
  }
  const gitErrors = <T>(docs: string, work: () => T): T => {
    try {
      return work()
    } catch (e) {
      if (e instanceof GitObjectError) throw refused(docs, 'GitRPC::BadObjectState')
      throw e
    }
  }

  function repoJson() {
    return { id: ctx.repositoryId, node_id: `R_kgDO${ctx.repositoryId}`, name: ctx.repo, full_name: ctx.repository, private: false, fork: false, default_branch: defaultBranch, url: ctx.repoApi(), html_url: `https://github.com/${ctx.repository}` }
  }

  const routes: RouteDef[] = [
    { method: 'GET', pattern: /^$/, route: 'getRepo', read: 'metadata=read', run: () => ({ status: 200, body: repoJson() }) },
    {
      method: 'GET',
      pattern: /^\/branches\/(.+)$/,
      route: 'getBranch',
      read: 'contents=read',
      run: ([name]) => {
        const sha = objectOr404(refs.get(`refs/heads/${name}`), `${DOCS}/branches/branches#get-a-branch`)
        const commit = commitJson(objects.commits.get(sha)!)
        return { status: 200, body: { name, commit: { sha, node_id: commit.node_id, commit, url: `${ctx.repoApi()}/commits/${sha}`, html_url: commit.html_url, parents: commit.parents }, _links: { self: `${ctx.repoApi()}/branches/${name}`, html: `https://github.com/${ctx.repository}/tree/${name}` }, protected: false } }
      },
    },
    {
      method: 'POST',
      pattern: /^\/git\/blobs$/,
      route: 'createBlob',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/blobs#create-a-blob` },
      run: (_p, _q, body) => {
        if (typeof body?.content !== 'string') throw refused(`${GIT_DOCS}/blobs#create-a-blob`, 'Invalid request.\n\n"content" wasn\'t supplied.')
        const encoding = body.encoding ?? 'utf-8'
        if (encoding !== 'utf-8' && encoding !== 'base64') throw refused(`${GIT_DOCS}/blobs#create-a-blob`, `encoding must be "utf-8" or "base64", not ${JSON.stringify(encoding)}`)
        const sha = objects.writeBlob(Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8'))
        return { status: 201, body: { sha, url: blobUrl(sha) }, headers: { location: blobUrl(sha) } }
      },
    },
    {
      method: 'GET',
      pattern: /^\/git\/blobs\/([0-9a-f]{40})$/,
      route: 'getBlob',
      read: 'contents=read',
      run: ([sha]) => {
        const content = objectOr404(objects.blobs.get(sha!), `${GIT_DOCS}/blobs#get-a-blob`)
        // GitHub wraps the base64 at 60 characters, with a final newline.
        const wrapped = (content.toString('base64').match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join('')
        return { status: 200, body: { sha, node_id: nodeId('B', ctx, sha!), size: content.length, url: blobUrl(sha!), content: wrapped, encoding: 'base64' } }
      },
    },
    {
      method: 'POST',
      pattern: /^\/git\/trees$/,
      route: 'createTree',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/trees#create-a-tree` },
      run: (_p, _q, body) => {
        const docs = `${GIT_DOCS}/trees#create-a-tree`
        const base = body?.base_tree ?? undefined
        if (base !== undefined && !objects.trees.has(base)) throw refused(docs, 'base_tree is not a valid tree oid')
        const sha = gitErrors(docs, () => objects.editTree(base, pathChanges(body?.tree, docs)))
        return { status: 201, body: treeJson(sha, false), headers: { location: treeUrl(sha) } }
      },
    },
    {
      method: 'GET',
      pattern: /^\/git\/trees\/([0-9a-f]{40})$/,
      route: 'getTree',
      read: 'contents=read',
      run: ([sha], query) => {
        objectOr404(objects.trees.get(sha!), `${GIT_DOCS}/trees#get-a-tree`)
        return { status: 200, body: treeJson(sha!, query.has('recursive')) }
      },
    },
    {
      method: 'POST',
      pattern: /^\/git\/commits$/,
      route: 'createCommit',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/commits#create-a-commit` },
      run: (_p, _q, body) => {
        const commit = commitWith(body)
        return { status: 201, body: commitJson(commit), headers: { location: commitUrl(commit.sha) } }
      },
    },
    { method: 'GET', pattern: /^\/git\/commits\/([0-9a-f]{40})$/, route: 'getCommit', read: 'contents=read', run: ([sha]) => ({ status: 200, body: commitJson(objectOr404(objects.commits.get(sha!), `${GIT_DOCS}/commits#get-a-commit-object`)) }) },
    {
      method: 'GET',
      pattern: /^\/git\/ref\/(.+)$/,
      route: 'getRef',
      read: 'contents=read',
      run: ([ref]) => {
        objectOr404(refs.get(`refs/${ref}`), `${GIT_DOCS}/refs#get-a-reference`)
        return { status: 200, body: refJson(`refs/${ref}`) }
      },
    },
    {
      method: 'POST',
      pattern: /^\/git\/refs$/,
      route: 'createRef',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/refs#create-a-reference` },
      run: (_p, _q, body) => {
        const docs = `${GIT_DOCS}/refs#create-a-reference`
        const ref = body?.ref
        if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref)) throw refused(docs, "Reference name must start with 'refs/' and have at least two slashes.")
        if (refs.has(ref)) throw refused(docs, 'Reference already exists')
        setRef(ref, body.sha, docs, true)
        return { status: 201, body: refJson(ref), headers: { location: `${ctx.repoApi()}/git/${ref}` } }
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/git\/refs\/(.+)$/,
      route: 'updateRef',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/refs#update-a-reference` },
      run: ([ref], _q, body) => {
        const docs = `${GIT_DOCS}/refs#update-a-reference`
        if (!refs.has(`refs/${ref}`)) throw refused(docs, 'Reference does not exist')
        setRef(`refs/${ref}`, body?.sha, docs, body?.force === true)
        return { status: 200, body: refJson(`refs/${ref}`) }
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/git\/refs\/(.+)$/,
      route: 'deleteRef',
      write: { permissions: CONTENTS_WRITE, docs: `${GIT_DOCS}/refs#delete-a-reference` },
      run: ([ref]) => {
        if (!refs.delete(`refs/${ref}`)) throw refused(`${GIT_DOCS}/refs#delete-a-reference`, 'Reference does not exist')
        return { status: 204 }
      },
    },
  ]

  return {
    routes,
    objects,
    /** The commit a branch points at, or undefined. */
    branchTip: (branch: string) => refs.get(`refs/heads/${branch}`),
    /**
     * Commits `files` (path → content) as the whole tree of `branch`, on top of its tip, or of
     * `from`'s tip when the branch is new (a root commit without either); moves the branch.
     */
    seedBranch(branch: string, files: Record<string, string | Buffer>, options: { message?: string; from?: string } = {}): { commit: string; tree: string } {
      const changes = Object.entries(files).map(([path, content]) => ({ path, entry: { mode: '100644', type: 'blob' as const, sha: objects.writeBlob(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')) } }))
      const tree = objects.editTree(undefined, changes)
      const parent = refs.get(`refs/heads/${branch}`) ?? (options.from === undefined ? undefined : refs.get(`refs/heads/${options.from}`))
      const seeder = { name: 'octocat', email: '583231+octocat@users.noreply.github.com', date: isoSeconds(new Date()) }
      const commit = objects.writeCommit({ tree, parents: parent ? [parent] : [], message: options.message ?? `Seed ${branch}`, author: seeder, committer: seeder, verified: false })
      refs.set(`refs/heads/${branch}`, commit.sha)
      return { commit: commit.sha, tree }
    },
    /** The files (path → UTF-8 text) of a branch or commit, or undefined when there is none. */
    files(branchOrSha: string): Record<string, string> | undefined {
      const commit = objects.commits.get(refs.get(`refs/heads/${branchOrSha}`) ?? branchOrSha)
      if (!commit) return undefined
      return Object.fromEntries(objects.walk(commit.tree).filter((e) => e.type === 'blob').map((e) => [e.path, objects.blobs.get(e.sha)!.toString('utf8')]))
    },
    /** A commit by sha (a copy), or undefined. */
    commit: (sha: string) => structuredClone(objects.commits.get(sha)),
  }
}
