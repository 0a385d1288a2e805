/**
 * A tree's files in memory, and its git tree id computed here, without running git: after a
 * change lands, the next call's identity needs the new tree, and a script that makes its
 * editing calls one after another must not pay a git process for each. Only the folders on
 * the changed paths are hashed again; their tree objects are stored as git stores them, so
 * git can read the tree later (a call's copy, the run's patch).
 */
import type { GitStore } from './git.js'
import { listTree, type TreeEntry } from './trees.js'

type Child = TreeEntry | 'folder'

export class TreeIndex {
  readonly #store: GitStore
  /** Each folder's children ('' is the root). */
  readonly #folders = new Map<string, Map<string, Child>>([['', new Map()]])
  /** Tree ids of folders unchanged since they were hashed. */
  readonly #ids = new Map<string, string>()

  private constructor(store: GitStore) {
    this.#store = store
  }

  /** The entries of `tree` (one `git ls-tree`). */
  static load(store: GitStore, tree: string): TreeIndex {
    const index = new TreeIndex(store)
    for (const [file, entry] of listTree(store, tree)) index.set(file, entry)
    return index
  }

  /** Sets a file's entry, or removes it (null); folders come and go with their files. */
  set(file: string, entry: TreeEntry | null): void {
    const parts = file.split('/')
    let folder = ''
    for (const name of parts.slice(0, -1)) {
      this.#ids.delete(folder)
      const children = this.#folders.get(folder)!
      const child = folder === '' ? name : `${folder}/${name}`
      if (entry && children.get(name) !== 'folder') {
        children.set(name, 'folder')
        this.#folders.set(child, new Map())
      }
      if (!this.#folders.has(child)) return // removing a file that is not there
      folder = child
    }
    this.#ids.delete(folder)
    const leaf = parts[parts.length - 1]!
    if (entry) this.#folders.get(folder)!.set(leaf, entry)
    else {
      this.#folders.get(folder)!.delete(leaf)
      this.#prune(folder)
    }
  }

  get(file: string): TreeEntry | undefined {
    const slash = file.lastIndexOf('/')
    const child = this.#folders.get(slash < 0 ? '' : file.slice(0, slash))?.get(file.slice(slash + 1))
    return child === 'folder' ? undefined : child
  }

  /** The tree id (stored, with every folder's tree object). */
  id(folder = ''): string {
    const known = this.#ids.get(folder)
    if (known) return known
    const children = [...this.#folders.get(folder)!].map(([name, child]) => {
      const id = child === 'folder' ? this.id(folder === '' ? name : `${folder}/${name}`) : child.blob
      return { name, mode: child === 'folder' ? '40000' : child.mode, id, key: Buffer.from(child === 'folder' ? `${name}/` : name) }
    })
    // Git's order: by bytes, a folder's name compared as if it ended in '/'.
    children.sort((a, b) => Buffer.compare(a.key, b.key))
    const content = Buffer.concat(children.flatMap((c) => [Buffer.from(`${c.mode} ${c.name}\0`), Buffer.from(c.id, 'hex')]))
    const id = this.#store.writeObject('tree', content)
    this.#ids.set(folder, id)
    return id
  }

  /** Empty folders are not part of a git tree: remove them up to the root. */
  #prune(folder: string): void {
    while (folder !== '' && this.#folders.get(folder)!.size === 0) {
      this.#folders.delete(folder)
      const slash = folder.lastIndexOf('/')
      const parent = slash < 0 ? '' : folder.slice(0, slash)
      this.#folders.get(parent)!.delete(folder.slice(slash + 1))
      this.#ids.delete(parent)
      folder = parent
    }
  }
}
