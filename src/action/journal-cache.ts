import path from 'node:path'
import { writeFileAtomically } from '../util/no-follow-write.js'
import type { Log } from './log.js'
import { restoreKeys, saveKey, type RunCoordinates } from './cache-keys.js'
import { Quarantine } from './cache-quarantine.js'

/** The two calls of @actions/cache the journal needs (injected, so tests can count them). */
export interface CacheClient {
  /** Restores the newest matching entry, extracting its files as if `extractInto` were the workspace. */
  restoreCache(paths: string[], primaryKey: string, restoreKeys: string[], extractInto: string): Promise<string | undefined>
  saveCache(paths: string[], key: string): Promise<number>
}

/** Where a restored journal goes, once it has been checked. */
export interface RestoreTarget {
  /** GITHUB_WORKSPACE: the entry's files are named relative to it (`../../_temp/...`). */
  workspace: string
  /** An empty folder of the runner's for the quarantine (RUNNER_TEMP), outside the workspace. */
  scratch: string
  /** The state folder, and the journal file in it. */
  stateRoot: string
  journalFile: string
}

export interface Restored {
  /** The key that matched, when one did. */
  key?: string
  /** Whether it is an entry of this run (an earlier attempt): a re-run resuming. */
  thisRun: boolean
}

/**
 * The journal in the Actions cache. Keys are immutable, so every save is a new key holding
 * the whole journal; restore takes the newest. The policy is actions/cache's for saves:
 * a cache that fails never fails the run. Nothing here throws.
 */
export class JournalCache {
  #seq: number
  #saving: Promise<boolean> | undefined
  /** Whether the last save failed: later failures are told as info until one succeeds. */
  #failing = false

  constructor(
    private readonly client: CacheClient,
    private readonly slot: string,
    private readonly run: RunCoordinates,
    /** Paths identical for save and restore (the cache version hashes them); one, the journal. */
    private readonly paths: string[],
    private readonly log: Log,
    /** First save number; post starts past any number main could have used. */
    firstSeq = 0,
  ) {
    this.#seq = firstSeq
  }

  /**
   * Restores the newest journal of the slot into `target`. The entry is extracted into a
   * quarantine first, never over the workspace or the state folder, and used only when it
   * holds nothing but the journal as a regular file: a cache entry is input like any other.
   */
  async restore(target: RestoreTarget): Promise<Restored> {
    const { primary, fallbacks } = restoreKeys(this.slot, this.run)
    let quarantine: Quarantine | undefined
    try {
      const cached = this.paths[0]!
      quarantine = Quarantine.create(target.scratch, path.isAbsolute(cached) ? path.relative(target.workspace, cached) : cached)
      const key = await this.client.restoreCache([...this.paths], primary, fallbacks, quarantine.extractInto)
      if (!key) {
        this.log.info('No journal in the cache: every agent call runs live.')
        return { thisRun: false }
      }
      const found = quarantine.inspect()
      if (found.problem) {
        this.log.warning(`The journal in the cache entry ${key} was not used: ${found.problem}. The run starts from an empty journal.`)
        return { thisRun: false }
      }
      if (found.text !== undefined) writeFileAtomically(target.stateRoot, target.journalFile, found.text, { durable: true })
      const thisRun = key.startsWith(primary)
      this.log.info(thisRun ? `Restored the journal of an earlier attempt of this run (${key}).` : `Restored the journal of an earlier run (${key}).`)
      return { key, thisRun }
    } catch (error) {
      this.log.warning(`Could not restore the journal from the cache (${(error as Error).message}); running without it.`)
      return { thisRun: false }
    } finally {
      quarantine?.remove()
    }
  }

  /** Saves under a fresh key; waits for a save already under way first (never two at once). */
  async save(reason: string): Promise<boolean> {
    while (this.#saving) await this.#saving
    this.#saving = this.#save(reason)
    try {
      return await this.#saving
    } finally {
      this.#saving = undefined
    }
  }

  get busy(): boolean {
    return this.#saving !== undefined
  }

  async #save(reason: string): Promise<boolean> {
    const key = saveKey(this.slot, this.run, this.#seq++)
    try {
      const id = await this.client.saveCache([...this.paths], key)
      if (id === -1) {
        // saveCache returns -1 rather than throwing: a conflict, a denial, a read-only token, a quota.
        this.#refused(`The journal was not saved to the cache (${reason}): the cache refused it (a read-only cache on fork PRs and pull_request_target, a quota, or an outage; see the cache messages above). Completed calls are still in the run-state artifact.`)
        return false
      }
      this.#failing = false
      this.log.info(`Journal saved to the cache (${reason}): ${key}`)
      return true
    } catch (error) {
      this.#refused(`Could not save the journal to the cache (${reason}): ${(error as Error).message}`)
      return false
    }
  }

  /** A failed save: a warning when saves start failing, then info, so a read-only cache does not warn at every checkpoint. */
  #refused(message: string): void {
    if (this.#failing) this.log.info(message)
    else this.log.warning(message)
    this.#failing = true
  }
}
