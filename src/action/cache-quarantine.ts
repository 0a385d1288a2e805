import fs from 'node:fs'
import path from 'node:path'
import { formatBytes } from '../util/bytes.js'
import { checkTree, lstatIfExists, UnsafePathError } from '../util/no-follow-fs.js'
import { JournalTooLargeError, MAX_JOURNAL_BYTES, readJournalFile } from '../journal/limits.js'

/**
 * An empty folder a restored cache entry is extracted into, instead of over the workspace,
 * so that what came back can be looked at before anything uses it.
 *
 * @actions/cache extracts with `tar -P -C $GITHUB_WORKSPACE`, and the entry's member names
 * are the cache paths relative to the workspace: `../../_temp/dynamic-workflow/journal/x.jsonl`
 * on a runner. Extracting into `<root>/up/up` instead puts that file at
 * `<root>/_temp/dynamic-workflow/journal/x.jsonl`, inside the quarantine. (An entry crafted
 * with absolute names or more `..` than ours can still write elsewhere: `tar -P` allows it, and
 * only a restore that does its own extraction could prevent that. It is then refused here.)
 */
/** Why an entry that holds more than a journal file cannot be the runner's. */
const NOT_OURS = ', and an entry the runner saved holds only its journal as a regular file'

export class Quarantine {
  private constructor(
    /** Removed, with everything the entry left, by remove(). */
    readonly root: string,
    /** What @actions/cache must take for the workspace while it extracts. */
    readonly extractInto: string,
    /** Where the cached file lands when the entry is one the runner saved. */
    readonly expected: string,
    /** The cache path as the entry names it, for messages. */
    private readonly cachePath: string,
  ) {}

  /** A fresh quarantine under `parent` for an entry saved with the single path `cachePath`. */
  static create(parent: string, cachePath: string): Quarantine {
    if (path.isAbsolute(cachePath)) throw new Error(`the cache path ${cachePath} is not relative to the workspace, so it cannot be restored into a quarantine`)
    const ups = cachePath.split(/[\\/]/).findIndex((part) => part !== '..')
    const root = fs.mkdtempSync(path.join(parent, 'dwf-restore-'))
    const extractInto = path.join(root, ...Array<string>(Math.max(0, ups)).fill('up'))
    fs.mkdirSync(extractInto, { recursive: true })
    return new Quarantine(root, extractInto, path.resolve(extractInto, cachePath), cachePath)
  }

  /**
   * What the entry left: the cached file's text (undefined when it held none), or the reason
   * it cannot be used. Only the folders on the way to the cached file and that file, a
   * regular file with one name no larger than a run loads, may be there: a link, a pipe, a
   * hard link or any other file means the entry was not written by the runner.
   */
  inspect(): { text?: string; problem?: string } {
    try {
      checkTree(this.root, this.root)
    } catch (error) {
      if (error instanceof UnsafePathError) return { problem: `it holds a ${error.kind === 'unknown' ? 'special file' : error.kind} at ${this.#shown(error.path)}${NOT_OURS}` }
      throw error
    }
    const allowed = new Set([...ancestors(this.root, this.expected), ...ancestors(this.root, path.join(this.extractInto, 'x'))])
    const extra = this.#files().find((file) => file !== this.expected && !allowed.has(file))
    if (extra) return { problem: `it holds ${lstatIfExists(extra)?.isDirectory() ? 'a folder' : 'a file'} the runner never caches, ${this.#shown(extra)}${NOT_OURS}` }
    try {
      return { text: readJournalFile(this.root, this.expected) }
    } catch (error) {
      // Too large to load, it would fail this run and every re-run that restores it.
      if (error instanceof JournalTooLargeError) return { problem: `its journal is ${formatBytes(error.bytes)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads` }
      throw error
    }
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true })
  }

  /** Every path under the root (checkTree has made sure there is no link to follow). */
  #files(): string[] {
    return fs.readdirSync(this.root, { recursive: true }).map((name) => path.join(this.root, String(name)))
  }

  /** A path as the entry names it (relative to the workspace it was meant for). */
  #shown(file: string): string {
    return file === this.expected ? this.cachePath : path.relative(this.extractInto, file).split(path.sep).join('/')
  }
}

/** The folders from below `root` down to the parent of `file`. */
function ancestors(root: string, file: string): string[] {
  const out: string[] = []
  for (let dir = path.dirname(file); dir !== root && dir.startsWith(root); dir = path.dirname(dir)) out.push(dir)
  return out
}
