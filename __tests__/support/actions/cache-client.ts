import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheEnv, type CacheService } from './cache-service.js'

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cache-client.mjs')
const MARKER = '@@cache-client-result@@'

/** An op of cache-client.mjs (see there); paths are relative to the working directory. */
export type CacheClientOp =
  | { op: 'write'; path: string; text: string }
  | { op: 'save'; paths: string[]; key: string }
  | { op: 'restore'; paths: string[]; key: string; restoreKeys?: string[]; options?: { lookupOnly?: boolean } }
  | { op: 'blobUpload'; url: string; file: string; blockSize: number; maxSingleShotSize: number; concurrency: number }
  | { op: 'blobDownload'; url: string; blockSize?: number }

export interface CacheClientRun {
  /** One per op: {value} (restore misses are null) or {error}. */
  results: Array<{ value?: any; error?: { name: string; message: string } }>
  values: any[]
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the ops with the real, unmodified @actions/cache in a child process, as a JavaScript
 * action on a runner: cwd and GITHUB_WORKSPACE = `workspace`, the emulator's environment.
 */
export function runCacheClient(
  service: CacheService,
  workspace: string,
  ops: CacheClientOp[],
  options: { parallel?: boolean; env?: Record<string, string | undefined>; onChild?: (child: ChildProcess) => void } = {},
): Promise<CacheClientRun> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...cacheEnv(service, { GITHUB_WORKSPACE: workspace, ...options.env }) }
  const child = spawn(process.execPath, [CLIENT, JSON.stringify({ ops, parallel: options.parallel ?? false })], { cwd: workspace, env })
  options.onChild?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER))
      if (!line) return reject(new Error(`the cache client printed no result (exit ${code})\n${stdout}\n${stderr}`))
      const results = JSON.parse(line.slice(MARKER.length))
      resolve({ results, values: results.map((r: { value?: unknown }) => r.value), code, stdout, stderr })
    })
  })
}
