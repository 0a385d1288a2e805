/**
 * Journal save + restore of 10 MB through the cache emulator with the unmodified
 * @actions/cache (tar, zstd, Twirp, blob), as a ratio to a raw blob upload + download of the
 * same bytes through the same emulator and the same Azure SDK. Both run in one child process
 * each (same imports, same start-up), so the ratio is what the cache protocol adds.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { cacheEnv, startCacheService } from '../__tests__/support/actions/cache-service.js'
import type { BenchRow } from './engine.bench.js'

const CLIENT = path.resolve('__tests__/support/actions/cache-client.mjs')
const BYTES = 10 * 1024 * 1024

/** Journal-like JSONL: realistic entries with varied text, so compression is not trivial. */
function journalText(bytes: number): string {
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const result = crypto.randomBytes(300).toString('base64') + ' finding ' + i
    const line = JSON.stringify({ v: 1, key: crypto.createHash('sha256').update(String(i)).digest('hex') + '#0', result, usage: { inputTokens: i, outputTokens: 2 * i, costUsd: 0.001 }, provider: 'mock', model: 'mock', finishedAt: new Date(0).toISOString(), runId: 'bench' })
    lines.push(line)
    size += line.length + 1
  }
  return lines.join('\n') + '\n'
}

/** Async: the emulator lives in this process and must keep answering while the client runs. */
async function timeClient(cwd: string, env: Record<string, string>, ops: unknown[]): Promise<number> {
  const start = performance.now()
  const { stdout: out } = await promisify(execFile)(process.execPath, [CLIENT, JSON.stringify({ ops })], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const results = JSON.parse(out.slice(out.lastIndexOf('@@cache-client-result@@') + '@@cache-client-result@@'.length)) as Array<{ error?: { message: string } }>
  const failed = results.find((r) => r.error)
  if (failed) throw new Error(`cache client failed: ${JSON.stringify(results)}`)
  return performance.now() - start
}

export async function cacheBenchmarks(): Promise<BenchRow[]> {
  const service = await startCacheService()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cache-bench-'))
  try {
    const journal = path.join(dir, '.dynamic-workflow', 'journal', 'bench.jsonl')
    fs.mkdirSync(path.dirname(journal), { recursive: true })
    fs.writeFileSync(journal, journalText(BYTES))
    const env = cacheEnv(service, { GITHUB_WORKSPACE: dir })
    const paths = ['.dynamic-workflow/journal/bench.jsonl']
    const cacheMs =
      (await timeClient(dir, env, [{ op: 'save', paths, key: 'bench-journal-1' }])) + (await timeClient(dir, env, [{ op: 'restore', paths, key: 'bench-journal-' }]))
    // The raw round trip: signed URLs from the service (untimed), then the blob SDK directly.
    const twirp = (method: string, body: unknown) =>
      fetch(new URL(`/twirp/github.actions.results.api.v1.CacheService/${method}`, service.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${service.token()}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, string>>)
    const created = await twirp('CreateCacheEntry', { key: 'bench-raw', version: 'raw' })
    let rawMs = await timeClient(dir, env, [
      { op: 'blobUpload', url: created.signed_upload_url, file: journal, blockSize: 64 * 1024 * 1024, maxSingleShotSize: 128 * 1024 * 1024, concurrency: 8 },
    ])
    await twirp('FinalizeCacheEntryUpload', { key: 'bench-raw', version: 'raw', size_bytes: String(fs.statSync(journal).size) })
    const download = await twirp('GetCacheEntryDownloadURL', { key: 'bench-raw', version: 'raw' })
    rawMs += await timeClient(dir, env, [{ op: 'blobDownload', url: download.signed_download_url }])
    return [
      {
        name: 'journal cache round trip vs raw blob',
        value: cacheMs / rawMs,
        unit: 'x',
        goal: 'reported',
        detail: `10 MB journal: saveCache + restoreCache ${Math.round(cacheMs)} ms vs blob upload + download ${Math.round(rawMs)} ms (one child process per step)`,
      },
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    await service.close()
  }
}
