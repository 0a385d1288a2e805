import { type Log } from './log.js'

/** The calls of @actions/artifact the run state needs (injected for tests). */
export interface ArtifactClient {
  uploadArtifact(name: string, files: string[], rootDirectory: string, options?: { retentionDays?: number }): Promise<{ id?: number; size?: number }>
  listArtifacts(options?: { latest?: boolean }): Promise<{ artifacts: Array<{ name: string; id: number; size: number }> }>
  downloadArtifact(id: number, options?: { path?: string }): Promise<{ downloadPath?: string }>
}

/**
 * The run state as an artifact: it survives cache eviction. Named per slot and attempt, so
 * re-runs never collide, and a later attempt can find the newest earlier one. Failures warn.
 */
export class RunArtifacts {
  constructor(
    private readonly client: ArtifactClient,
    /** e.g. dynamic-workflow-pr-review-review-1a2b3c4d */
    private readonly base: string,
    private readonly attempt: number,
    private readonly log: Log,
    /** What the artifact holds, as the log says it. */
    private readonly what = 'Run state',
  ) {}

  get name(): string {
    return `${this.base}-attempt-${this.attempt}`
  }

  async upload(files: string[], root: string): Promise<boolean> {
    try {
      const { id, size } = await this.client.uploadArtifact(this.name, files, root)
      this.log.info(`${this.what} uploaded as artifact ${this.name} (id ${id}, ${size} bytes).`)
      return true
    } catch (error) {
      this.log.warning(`Could not upload the run-state artifact ${this.name}: ${(error as Error).message}`)
      return false
    }
  }

  /** Downloads the newest earlier attempt's run state into `into`; undefined when there is none. */
  async downloadEarlier(into: string): Promise<string | undefined> {
    try {
      const prefix = `${this.base}-attempt-`
      const earlier = (await this.client.listArtifacts()).artifacts
        .map((a) => ({ ...a, attempt: a.name.startsWith(prefix) ? Number(a.name.slice(prefix.length)) : NaN }))
        .filter((a) => Number.isInteger(a.attempt) && a.attempt < this.attempt)
        .sort((a, b) => b.attempt - a.attempt || b.id - a.id)[0]
      if (!earlier) return undefined
      const { downloadPath } = await this.client.downloadArtifact(earlier.id, { path: into })
      this.log.info(`Restored the run state of attempt ${earlier.attempt} from artifact ${earlier.name}.`)
      return downloadPath ?? into
    } catch (error) {
      this.log.warning(`Could not download an earlier attempt's run-state artifact: ${(error as Error).message}`)
      return undefined
    }
  }
}
