import { afterAll, afterEach, beforeAll } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from './cache-service.js'
import { runAction, type ActionRun, type JobDirs, type RunActionOptions } from './runner.js'

/** A job's options, with the mock agent's latency per call (DWF_MOCK_LATENCY_MS, default 0). */
export type CacheJobOptions = RunActionOptions & { latencyMs?: number }

export interface CacheJobs {
  /** The test file's cache emulator (started before its first test). */
  readonly cache: CacheService
  /** Runs a job with the cache emulator's environment; its folders are removed after the test. */
  run(options: CacheJobOptions): Promise<ActionRun>
}

/**
 * The set-up of a test file whose jobs run the Action against the cache emulator: one emulator
 * for the file, whose ref may read and write its cache scope; after each test its faults are
 * cleared and the jobs' folders removed. Call at the top level of the file.
 */
export function cacheJobs(scope = 'refs/heads/feature'): CacheJobs {
  let cache: CacheService | undefined
  const jobs: ActionRun[] = []
  beforeAll(async () => {
    cache = await startCacheService({ scopes: [{ scope, permission: CachePermission.readWrite }] })
  })
  afterAll(() => cache?.close())
  afterEach(() => {
    cache?.faults.clear()
    jobs.splice(0).forEach((job) => job.cleanup())
  })
  const started = () => {
    if (!cache) throw new Error('the cache emulator starts in beforeAll: use it inside a test or hook')
    return cache
  }
  return {
    get cache() {
      return started()
    },
    async run({ latencyMs = 0, ...options }) {
      const job = await runAction({ ...options, env: { ...cacheEnv(started()), DWF_MOCK_LATENCY_MS: String(latencyMs), ...options.env } })
      jobs.push(job)
      return job
    },
  }
}

/** The lines of a workflow's journal in a job's state folder that `counts` (default: every non-empty line). */
export function journalLines(job: JobDirs, workflow: string, counts: (line: string) => boolean = (line) => line.trim() !== ''): number {
  const file = path.join(job.stateDir, 'journal', `${workflow}.jsonl`)
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(counts).length : 0
}
