// The object store behind the git data API fake: blobs, trees and commits named by their real
// git object ids (sha1 of "<type> <size>\0<content>", trees in git's binary format and order),
// so a tree written twice with the same content has the same sha, and a blob's sha matches
// `git hash-object`. Trees are edited the way POST /git/trees does: a base tree plus path
// changes, nested paths making subtrees, a `sha: null` removing a path, empty trees dropped.
import crypto from 'node:crypto'

export type GitObjectType = 'blob' | 'tree' | 'commit'

export interface TreeEntry {
  name: string
  mode: string
  type: GitObjectType
  sha: string
}

export interface GitPerson {
  name: string
  email: string
  /** ISO 8601, seconds. */
  date: string
}

export interface GitCommit {
  sha: string
  tree: string
  parents: string[]
  message: string
  author: GitPerson
  committer: GitPerson
  /** GitHub signs commits it writes for the token's own identity. */
  verified: boolean
}

/** A tree being edited: a leaf entry, or a folder whose children are loaded. */
type Node = TreeEntry | Folder
type Folder = Map<string, Node>

/** A path change for editTree: a new leaf (blob/commit/tree sha) or `null` to remove the path. */
export interface PathChange {
  path: string
  entry: Omit<TreeEntry, 'name'> | null
}

export class GitObjectError extends Error {}

const hashObject = (type: GitObjectType, content: Buffer) => crypto.createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex')
/** git's order: a tree sorts as if its name ended with '/'. */
const sortKey = (e: TreeEntry) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name)
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000)

export class GitObjects {
  readonly blobs = new Map<string, Buffer>()
  readonly trees = new Map<string, TreeEntry[]>()
  readonly commits = new Map<string, GitCommit>()

  writeBlob(content: Buffer): string {
    const sha = hashObject('blob', content)
    this.blobs.set(sha, content)
    return sha
  }

  writeTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)))
    // git writes a tree's mode without its leading zero.
    const body = Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.type === 'tree' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]))
    const sha = hashObject('tree', body)
    this.trees.set(sha, sorted)
    return sha
  }

  writeCommit(commit: Omit<GitCommit, 'sha'>): GitCommit {
    const person = (p: GitPerson) => `${p.name} <${p.email}> ${epoch(p.date)} +0000`
    const text = [`tree ${commit.tree}`, ...commit.parents.map((p) => `parent ${p}`), `author ${person(commit.author)}`, `committer ${person(commit.committer)}`, '', commit.message].join('\n')
    const sha = hashObject('commit', Buffer.from(text))
    const written = { ...commit, sha }
    this.commits.set(sha, written)
    return written
  }

  /** A new tree: `base` (a tree sha, or none) with `changes` applied in order. */
  editTree(base: string | undefined, changes: PathChange[]): string {
    const root = base === undefined ? new Map<string, Node>() : this.load(base)
    for (const change of changes) this.apply(root, change.path.split('/'), change.entry, change.path)
    return this.write(root)
  }

  /** Every entry under a tree, with full paths, folders before what they hold (git ls-tree -rt order). */
  walk(treeSha: string, prefix = ''): Array<TreeEntry & { path: string }> {
    return (this.trees.get(treeSha) ?? []).flatMap((e) => {
      const path = `${prefix}${e.name}`
      return e.type === 'tree' ? [{ ...e, path }, ...this.walk(e.sha, `${path}/`)] : [{ ...e, path }]
    })
  }

  /** Whether `ancestor` is `sha` or reachable from it through parents. */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>()
    const queue = [sha]
    while (queue.length) {
      const next = queue.shift()!
      if (next === ancestor) return true
      if (seen.has(next)) continue
      seen.add(next)
      queue.push(...(this.commits.get(next)?.parents ?? []))
    }
    return false
  }

  private load(treeSha: string): Folder {
    const entries = this.trees.get(treeSha)
    if (!entries) throw new GitObjectError(`tree ${treeSha} does not exist`)
    return new Map(entries.map((e) => [e.name, { ...e }]))
  }

  private apply(folder: Folder, parts: string[], entry: PathChange['entry'], path: string): void {
    const [name, ...rest] = parts
    if (!name || rest.some((p) => p === '')) throw new GitObjectError(`path ${JSON.stringify(path)} is not valid`)
    const current = folder.get(name)
    if (rest.length === 0) {
      if (entry) folder.set(name, { name, ...entry })
      else if (current) folder.delete(name)
      else throw new GitObjectError(`path ${path} does not exist`)
      return
    }
    let child: Folder
    if (current instanceof Map) child = current
    else if (current?.type === 'tree') child = this.load(current.sha)
    else if (current === undefined && entry) child = new Map()
    else throw new GitObjectError(current ? `path ${path} is below a file` : `path ${path} does not exist`)
    this.apply(child, rest, entry, path)
    if (child.size === 0) folder.delete(name)
    else folder.set(name, child)
  }

  private write(folder: Folder): string {
    const entries: TreeEntry[] = []
    for (const [name, node] of folder) {
      if (node instanceof Map) {
        if (node.size > 0) entries.push({ name, mode: '040000', type: 'tree', sha: this.write(node) })
      } else entries.push(node)
    }
    return this.writeTree(entries)
  }
}
