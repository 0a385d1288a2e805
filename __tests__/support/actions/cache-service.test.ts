// Drives the real, unmodified @actions/cache 6.3.0 (and the @azure/storage-blob it ships with)
// against the local cache service emulator, each scenario in a child process that gets the
// environment a runner gives a JavaScript action. This keeps the emulator faithful to what the
// real client sends and accepts, and records how the client reacts to service behaviour and
// faults (what it returns, what it warns).
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { spawnSync, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runCacheClient, type CacheClientOp as Op, type CacheClientRun } from './cache-client.js'
import { waitFor } from '../cli.js'
import { CACHE_SERVICE, startCacheService, type CacheScope, type CacheService, type CacheServiceOptions } from './cache-service.js'

const MAIN: CacheScope = { scope: 'refs/heads/main', permission: 3 }
/** What getCacheVersion adds for the compression: zstd when a zstd binary is on PATH. */
const COMPRESSION = spawnSync('zstd', ['--quiet', '--version']).stdout?.toString().trim() ? 'zstd-without-long' : 'gzip'
const cacheVersion = (paths: string[]) => crypto.createHash('sha256').update([...paths, COMPRESSION, '1.0'].join('|')).digest('hex')
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex')

// ---- fixtures ------------------------------------------------------------------------------

const cleanups: Array<() => Promise<void> | void> = []
const children = new Set<ChildProcess>()
afterAll(async () => {
  // A client still running (its test failed or was filtered out) is stopped first.
  for (const child of children) child.kill()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function service(options?: CacheServiceOptions): Promise<CacheService> {
  const s = await startCacheService(options)
  cleanups.push(() => s.close())
  return s
}

interface Workspace {
  dir: string
  write(name: string, data: string | Buffer): void
  /** The file's bytes, or undefined when it does not exist. */
  read(name: string): Buffer | undefined
  /** Every file under `sub`, relative path -> sha256. */
  tree(sub: string): Record<string, string>
}

function workspace(files: Record<string, string | Buffer> = {}): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cache-ws-'))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), data)
  }
  for (const [name, data] of Object.entries(files)) write(name, data)
  const tree = (sub: string) => {
    const out: Record<string, string> = {}
    const walk = (rel: string) => {
      const full = path.join(dir, rel)
      if (!fs.existsSync(full)) return
      if (fs.statSync(full).isDirectory()) for (const name of fs.readdirSync(full).sort()) walk(path.join(rel, name))
      else out[rel] = sha256(fs.readFileSync(full))
    }
    walk(sub)
    return out
  }
  return { dir, write, read: (name) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name)) : undefined), tree }
}

interface ClientRun extends CacheClientRun {
  /** `::warning::` / `::error::` workflow commands, unescaped. */
  warnings: string[]
  errors: string[]
  /** Plain lines (core.info and tool output). */
  infos: string[]
}

const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

/** Runs the ops with the real client in a child process: cwd and GITHUB_WORKSPACE = ws. */
async function client(svc: CacheService, ws: Workspace, ops: Op[], options: { parallel?: boolean; env?: Record<string, string | undefined> } = {}): Promise<ClientRun> {
  const onChild = (child: ChildProcess) => {
    children.add(child)
    child.on('exit', () => children.delete(child))
  }
  const run = await runCacheClient(svc, ws.dir, ops, { ...options, onChild })
  const warnings: string[] = []
  const errors: string[] = []
  const infos: string[] = []
  for (const l of run.stdout.split('\n')) {
    const command = /^::(warning|error)(?: [^:]*)?::(.*)$/.exec(l)
    if (command) (command[1] === 'warning' ? warnings : errors).push(unescape(command[2]!))
    else if (l && !l.startsWith('::') && !l.startsWith('@@cache-client-result@@')) infos.push(l)
  }
  return { ...run, warnings, errors, infos }
}

/** Calls a Twirp method directly (for the steps the test does itself). */
async function twirp(svc: CacheService, method: string, body: unknown, token = svc.token()): Promise<{ status: number; body: any }> {
  const response = await fetch(`${svc.url}twirp/${CACHE_SERVICE}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

const ops = (svc: CacheService) => svc.requests.map((r) => `${r.operation} ${r.status}`)
const JOURNAL = { 'journal/a.jsonl': '{"key":"a#0"}\n', 'journal/sub/b.jsonl': '{"key":"b#0"}\n{"key":"b#1"}\n', 'journal/c.bin': crypto.randomBytes(4096) }

describe('cache service emulator with the real @actions/cache client', () => {
  // The slow scenario starts first and is checked last. Every call answering 503: the Twirp
  // client retries 5 times with backoff from 3 s (~30 s), so it runs in the background while
  // the other scenarios of this block run.
  let unavailable: { svc: CacheService; run: Promise<ClientRun> }
  beforeAll(async () => {
    const svc = await service()
    svc.faults.fail('*', { status: 503, times: Infinity })
    const ws = workspace(JOURNAL)
    unavailable = {
      svc,
      run: client(svc, ws, [{ op: 'restore', paths: ['journal'], key: 'down-' }, { op: 'save', paths: ['journal'], key: 'down-1' }], { parallel: true }),
    }
  })

  it('round-trips a directory: save then restore into another workspace gives identical files', async () => {
    const svc = await service()
    const source = workspace(JOURNAL)
    const saved = await client(svc, source, [{ op: 'save', paths: ['journal'], key: 'rt-1' }])
    expect(saved.results[0]!.error).toBeUndefined()
    expect(saved.values[0]).toBeGreaterThan(0)
    expect(saved.warnings).toEqual([])

    const target = workspace()
    const restored = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'rt-1' }])
    expect(restored.values).toEqual(['rt-1'])
    expect(restored.warnings).toEqual([])
    expect(target.tree('journal')).toEqual(source.tree('journal'))
    expect(Object.keys(target.tree('journal'))).toHaveLength(3)

    // The entry, and the exact requests of a save and a restore.
    const [entry] = svc.entries()
    expect(entry).toMatchObject({ id: saved.values[0], key: 'rt-1', version: cacheVersion(['journal']), scope: 'refs/heads/main', finalized: true })
    expect(ops(svc)).toEqual(['CreateCacheEntry 200', 'PutBlob 201', 'FinalizeCacheEntryUpload 200', 'GetCacheEntryDownloadURL 200', 'GetBlob 200'])
    const [create, put, finalize, lookup, get] = svc.requests
    const twirpPath = (m: string) => `/twirp/${CACHE_SERVICE}/${m}`
    for (const [request, method] of [
      [create, 'CreateCacheEntry'],
      [finalize, 'FinalizeCacheEntryUpload'],
      [lookup, 'GetCacheEntryDownloadURL'],
    ] as const) {
      expect(request).toMatchObject({ method: 'POST', path: twirpPath(method), query: {} })
      expect(request!.headers['content-type']).toBe('application/json')
      expect(request!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    }
    expect(create!.body).toEqual({ key: 'rt-1', version: entry!.version })
    expect(finalize!.body).toEqual({ key: 'rt-1', version: entry!.version, size_bytes: String(entry!.size) })
    expect(lookup!.body).toEqual({ key: 'rt-1', version: entry!.version }) // empty restore_keys omitted
    expect(put).toMatchObject({ method: 'PUT', bodyBytes: entry!.size })
    expect(Object.keys(put!.query).sort()).toEqual(['se', 'sig', 'sp', 'sr', 'sv'])
    expect(put!.headers['x-ms-blob-type']).toBe('BlockBlob')
    expect(put!.headers['x-ms-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(put!.headers['content-length']).toBe(String(entry!.size))
    expect(get).toMatchObject({ method: 'GET', path: put!.path })
    expect(get!.headers.range ?? get!.headers['x-ms-range']).toBeUndefined()
    expect(get!.headers.authorization).toBeUndefined()
    expect(get!.query.sig).not.toBe(put!.query.sig)
    // The client masks the SAS signatures it receives.
    expect(saved.stdout).toContain(`::add-mask::${put!.query.sig}`)
  })

  it('restores by prefix: newest entry of a prefix, exact key before prefix, restore keys in order', async () => {
    const svc = await service()
    const ws = workspace()
    const save = (key: string): Op[] => [
      { op: 'write', path: 'journal/which.txt', text: key },
      { op: 'save', paths: ['journal'], key },
    ]
    const saved = await client(svc, ws, [...save('p-run1-1'), ...save('p-run1-2'), ...save('p-run2-1'), ...save('q'), ...save('q-later')])
    expect(saved.values.filter((v) => typeof v === 'number' && v > 0)).toHaveLength(5)

    const restore = async (key: string, restoreKeys?: string[]) => {
      const target = workspace()
      const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key, restoreKeys }])
      return { matched: run.values[0], content: target.read('journal/which.txt')?.toString() }
    }
    expect(await restore('p-run1-')).toEqual({ matched: 'p-run1-2', content: 'p-run1-2' })
    expect(await restore('p-run9-', ['p-'])).toEqual({ matched: 'p-run2-1', content: 'p-run2-1' })
    expect(await restore('zzz', ['p-run1-', 'p-'])).toEqual({ matched: 'p-run1-2', content: 'p-run1-2' })
    expect(await restore('q')).toEqual({ matched: 'q', content: 'q' })
    expect(await restore('q-', ['p-'])).toEqual({ matched: 'q-later', content: 'q-later' })
    expect(await restore('nothing-', ['neither-'])).toEqual({ matched: null, content: undefined })
    const lookups = svc.requests.filter((r) => r.operation === 'GetCacheEntryDownloadURL').map((r) => r.body)
    expect(lookups).toContainEqual({ key: 'zzz', restore_keys: ['p-run1-', 'p-'], version: cacheVersion(['journal']) })
  })

  it('keeps keys immutable: a second save of a key returns -1 (409), a new key saves', async () => {
    const svc = await service()
    const ws = workspace(JOURNAL)
    const run = await client(svc, ws, [
      { op: 'save', paths: ['journal'], key: 'c-1' },
      { op: 'save', paths: ['journal'], key: 'c-1' },
      { op: 'save', paths: ['journal'], key: 'c-2' },
    ])
    expect(run.results.map((r) => r.error)).toEqual([undefined, undefined, undefined])
    expect(run.values[0]).toBeGreaterThan(0)
    expect(run.values[1]).toBe(-1)
    expect(run.values[2]).toBeGreaterThan(run.values[0])
    // The conflict is logged with core.info, not as a warning.
    expect(run.warnings).toEqual([])
    expect(run.infos).toContain('Failed to save: Unable to reserve cache with key c-1, another job may be creating this cache.')
    expect(ops(svc)).toEqual([
      'CreateCacheEntry 200', 'PutBlob 201', 'FinalizeCacheEntryUpload 200',
      'CreateCacheEntry 409',
      'CreateCacheEntry 200', 'PutBlob 201', 'FinalizeCacheEntryUpload 200',
    ])
    expect(svc.requests[3]!.status).toBe(409)
    expect(svc.entries().map((e) => e.key)).toEqual(['c-1', 'c-2'])
  })

  it('scopes: writes go to the writable scope, reads go through the readable scopes in order', async () => {
    const svc = await service({ scopes: [{ scope: 'refs/heads/feature', permission: 3 }, { scope: 'refs/heads/main', permission: 1 }] })
    const onMain = workspace({ 'journal/which.txt': 'main' })
    const mainToken = svc.token([MAIN])
    expect((await client(svc, onMain, [{ op: 'save', paths: ['journal'], key: 'shared-1' }], { env: { ACTIONS_RUNTIME_TOKEN: mainToken } })).values[0]).toBeGreaterThan(0)
    // Same key on the feature branch: another scope, so no conflict.
    const onFeature = workspace({ 'journal/which.txt': 'feature' })
    expect((await client(svc, onFeature, [{ op: 'save', paths: ['journal'], key: 'shared-1' }])).values[0]).toBeGreaterThan(0)
    expect(svc.entries().map((e) => [e.key, e.scope])).toEqual([
      ['shared-1', 'refs/heads/main'],
      ['shared-1', 'refs/heads/feature'],
    ])

    const restoreWith = async (scopes: CacheScope[]) => {
      const target = workspace()
      const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'shared-' }], { env: { ACTIONS_RUNTIME_TOKEN: svc.token(scopes) } })
      return { matched: run.values[0], content: target.read('journal/which.txt')?.toString() }
    }
    expect(await restoreWith(svc.scopes)).toEqual({ matched: 'shared-1', content: 'feature' })
    expect(await restoreWith([MAIN])).toEqual({ matched: 'shared-1', content: 'main' })
    expect(await restoreWith([{ scope: 'refs/heads/sibling', permission: 3 }, { scope: 'refs/heads/main', permission: 1 }])).toEqual({ matched: 'shared-1', content: 'main' })
    expect(await restoreWith([{ scope: 'refs/heads/sibling', permission: 3 }])).toEqual({ matched: null, content: undefined })
  })

  it('read-only token: restore works, save returns -1 with a "cache write denied" warning', async () => {
    const svc = await service({ scopes: [MAIN] })
    expect((await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'ro-1' }])).values[0]).toBeGreaterThan(0)

    svc.scopes = [{ scope: 'refs/heads/main', permission: 1 }]
    const ws = workspace()
    const run = await client(svc, ws, [
      { op: 'restore', paths: ['journal'], key: 'ro-' },
      { op: 'save', paths: ['journal'], key: 'ro-2' },
    ])
    expect(run.results.map((r) => r.error)).toEqual([undefined, undefined])
    expect(run.values).toEqual(['ro-1', -1])
    expect(ws.tree('journal')).toEqual(workspace(JOURNAL).tree('journal'))
    expect(run.warnings).toEqual(['Failed to save: Unable to reserve cache with key ro-2. More details: cache write denied: token has no writable scopes'])
    const create = svc.requests.filter((r) => r.operation === 'CreateCacheEntry').at(-1)!
    expect(create.status).toBe(200) // the service answers {ok: false, message}, not an HTTP error
    expect(svc.entries().map((e) => e.key)).toEqual(['ro-1'])
    expect(svc.requests.filter((r) => r.operation === 'PutBlob')).toHaveLength(1)
  })

  it('a token without readable scopes: restore is a miss with a "cache read denied" warning', async () => {
    const svc = await service({ scopes: [{ scope: 'refs/heads/main', permission: 2 }] })
    const run = await client(svc, workspace(), [{ op: 'restore', paths: ['journal'], key: 'x-' }])
    expect(run.values).toEqual([null])
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toMatch(/^Failed to restore: .*\(403\) Forbidden: cache read denied: token has no readable scopes$/)
  })

  it('ACTIONS_CACHE_MODE=read: restore works, save returns -1 without calling the service', async () => {
    const svc = await service()
    expect((await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'm-1' }])).values[0]).toBeGreaterThan(0)
    const before = svc.requests.length
    const run = await client(svc, workspace(), [{ op: 'restore', paths: ['journal'], key: 'm-1' }, { op: 'save', paths: ['journal'], key: 'm-2' }], { env: { ACTIONS_CACHE_MODE: 'read' } })
    expect(run.values).toEqual(['m-1', -1])
    expect(run.infos).toContain("Cache save skipped: the effective cache-mode 'read' does not permit writes.")
    expect(svc.requests.slice(before).map((r) => r.operation)).toEqual(['GetCacheEntryDownloadURL', 'GetBlob'])
  })

  it('cache version: the same path list matches, a different list (or spelling) misses', async () => {
    const svc = await service()
    expect((await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'v-1' }])).values[0]).toBeGreaterThan(0)
    expect(svc.entries()[0]!.version).toBe(cacheVersion(['journal']))
    const run = await client(svc, workspace(), [
      { op: 'restore', paths: ['journal'], key: 'v-1', options: { lookupOnly: true } },
      { op: 'restore', paths: ['journal', 'other'], key: 'v-1', options: { lookupOnly: true } },
      { op: 'restore', paths: ['./journal'], key: 'v-1', options: { lookupOnly: true } },
    ])
    expect(run.values).toEqual(['v-1', null, null])
    expect(run.warnings).toEqual([])
    const versions = svc.requests.filter((r) => r.operation === 'GetCacheEntryDownloadURL').map((r) => (r.body as { version: string }).version)
    expect(versions).toEqual([cacheVersion(['journal']), cacheVersion(['journal', 'other']), cacheVersion(['./journal'])])
  })

  it('round-trips a 10 MB file in one Put Blob', async () => {
    const svc = await service()
    const big = crypto.randomBytes(10 * 1024 * 1024)
    const source = workspace({ 'journal/big.bin': big })
    expect((await client(svc, source, [{ op: 'save', paths: ['journal'], key: 'big-1' }])).values[0]).toBeGreaterThan(0)
    const target = workspace()
    expect((await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'big-1' }])).values).toEqual(['big-1'])
    expect(sha256(target.read('journal/big.bin')!)).toBe(sha256(big))
    const puts = svc.requests.filter((r) => r.operation === 'PutBlob')
    expect(puts).toHaveLength(1)
    expect(puts[0]!.bodyBytes).toBeGreaterThan(big.length)
    expect(svc.entries()[0]!.size).toBe(puts[0]!.bodyBytes)
  })

  it('eviction: after delete(key) the restore is a miss without a warning', async () => {
    const svc = await service()
    expect((await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'ev-1' }])).values[0]).toBeGreaterThan(0)
    expect(svc.delete('ev-1')).toBe(1)
    expect(svc.entries()).toEqual([])
    const target = workspace()
    const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'ev-1', restoreKeys: ['ev-'] }])
    expect(run.values).toEqual([null])
    expect(run.warnings).toEqual([])
    expect(target.read('journal/a.jsonl')).toBeUndefined()
    expect(svc.requests.at(-1)!.operation).toBe('GetCacheEntryDownloadURL')
  })

  it('a download cut off mid-body (connection dropped) fails the restore and writes no files', async () => {
    const svc = await service()
    const source = workspace({ 'journal/a.bin': crypto.randomBytes(300_000), 'journal/b.bin': crypto.randomBytes(300_000) })
    expect((await client(svc, source, [{ op: 'save', paths: ['journal'], key: 'tr-1' }])).values[0]).toBeGreaterThan(0)
    svc.faults.truncate({ bytes: 200_000, mode: 'reset' })
    const target = workspace()
    const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'tr-1' }])
    expect(run.values).toEqual([null])
    expect(run.warnings).toEqual([expect.stringMatching(/^Failed to restore: /)]) // Node 20: 'Failed to restore: aborted'
    expect(fs.existsSync(path.join(target.dir, 'journal'))).toBe(false)
    expect(svc.requests.at(-1)).toMatchObject({ operation: 'GetBlob', fault: 'truncate' })
  })

  it('a short body with a matching Content-Length is not detected: tar fails after writing partial files', async () => {
    const svc = await service()
    const files = { 'journal/a.bin': crypto.randomBytes(200_000), 'journal/b.bin': crypto.randomBytes(200_000), 'journal/c.bin': crypto.randomBytes(200_000) }
    const source = workspace(files)
    expect((await client(svc, source, [{ op: 'save', paths: ['journal'], key: 'short-1' }])).values[0]).toBeGreaterThan(0)
    svc.faults.truncate({ bytes: 300_000, mode: 'short' })
    const target = workspace()
    const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'short-1' }])
    expect(run.values).toEqual([null])
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toMatch(/^Failed to restore: .*tar.* failed with exit code/)
    // The client reports a miss but leaves what tar extracted before the end: a caller must
    // not trust files in the restore paths after a failed restore.
    const restored = target.tree('journal')
    expect(Object.keys(restored).length).toBeGreaterThan(0)
    expect(restored).not.toEqual(source.tree('journal'))
  })

  it('a 403 on the download is not checked by the client: the error body goes to tar, restore is a miss', async () => {
    const svc = await service()
    expect((await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'dl403-1' }])).values[0]).toBeGreaterThan(0)
    svc.faults.fail('GetBlob', { status: 403 })
    const target = workspace()
    const run = await client(svc, target, [{ op: 'restore', paths: ['journal'], key: 'dl403-1' }])
    expect(run.values).toEqual([null])
    expect(run.warnings[0]).toMatch(/^Failed to restore: .*tar.* failed with exit code/)
    expect(target.read('journal/a.jsonl')).toBeUndefined()
    expect(svc.requests.filter((r) => r.operation === 'GetBlob').map((r) => r.status)).toEqual([403])
  })

  it('429 with Retry-After on CreateCacheEntry: save returns -1 at once with a rate-limit warning', async () => {
    const svc = await service()
    svc.faults.fail('CreateCacheEntry', { status: 429, retryAfter: 60, message: 'too many cache uploads' })
    const run = await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'rl-1' }])
    expect(run.results[0]).toEqual({ value: -1 })
    expect(run.warnings).toEqual(["You've hit a rate limit, your rate limit will reset in 60 seconds"])
    expect(run.infos).toContain('Failed to save: Unable to reserve cache with key rl-1, another job may be creating this cache.')
    expect(ops(svc)).toEqual(['CreateCacheEntry 429'])
    expect(svc.entries({ includePending: true })).toEqual([])
  })

  it('retries: a 500 on Finalize is retried by the Twirp client, a 500 on Put Blob by the Azure SDK', async () => {
    const svc = await service()
    svc.faults.fail('PutBlob', { status: 500 })
    svc.faults.fail('FinalizeCacheEntryUpload', { status: 500 })
    const run = await client(svc, workspace(JOURNAL), [{ op: 'save', paths: ['journal'], key: 'retry-1' }])
    expect(run.values[0]).toBeGreaterThan(0)
    expect(ops(svc)).toEqual(['CreateCacheEntry 200', 'PutBlob 500', 'PutBlob 201', 'FinalizeCacheEntryUpload 500', 'FinalizeCacheEntryUpload 200'])
    expect(run.infos.some((l) => l.startsWith('Attempt 1 of 5 failed with error: Failed request: (500) Internal Server Error'))).toBe(true)
    expect(svc.entries().map((e) => e.key)).toEqual(['retry-1'])
  })

  it('a refused upload (403 on Put Blob): save returns -1 with warnings, and the key stays reserved', async () => {
    const svc = await service()
    svc.faults.fail('PutBlob', { status: 403, message: 'Signature not valid' })
    const ws = workspace(JOURNAL)
    const run = await client(svc, ws, [
      { op: 'save', paths: ['journal'], key: 'up-1' },
      { op: 'save', paths: ['journal'], key: 'up-1' },
    ])
    expect(run.values).toEqual([-1, -1])
    expect(run.warnings.length).toBeGreaterThanOrEqual(2)
    expect(run.warnings[0]).toMatch(/^uploadCacheArchiveSDK: internal error uploading cache archive: Signature not valid/)
    expect(run.warnings[1]).toMatch(/^Failed to save: Signature not valid/)
    expect(ops(svc)).toEqual(['CreateCacheEntry 200', 'PutBlob 403', 'CreateCacheEntry 409'])
    expect(svc.entries()).toEqual([])
    expect(svc.entries({ includePending: true })).toMatchObject([{ key: 'up-1', finalized: false }])
  })

  it('every call answering 503: restoreCache returns undefined and saveCache -1, without throwing', async () => {
    const { svc, run: pending } = unavailable
    const run = await pending
    expect(run.code).toBe(0)
    expect(run.results).toEqual([{ value: null }, { value: -1 }])
    const attempts = (m: string) => svc.requests.filter((r) => r.operation === m).map((r) => r.status)
    expect(attempts('GetCacheEntryDownloadURL')).toEqual([503, 503, 503, 503, 503])
    expect(attempts('CreateCacheEntry')).toEqual([503, 503, 503, 503, 503])
    expect(svc.requests.filter((r) => r.operation.startsWith('Put') || r.operation.startsWith('Get') && r.operation !== 'GetCacheEntryDownloadURL')).toEqual([])
    // restore warns; the failed reservation is only logged as info.
    expect(run.warnings).toEqual([expect.stringMatching(/^Failed to restore: Failed to GetCacheEntryDownloadURL: Failed to make request after 5 attempts: Failed request: \(503\) Service Unavailable/)])
    expect(run.infos).toContain('Failed to save: Unable to reserve cache with key down-1, another job may be creating this cache.')
  })
})

describe('cache service emulator: blob endpoints with the Azure SDK the client ships', () => {
  it('Put Block + Put Block List upload and ranged Get Blob download (the >128 MiB / Azure-host paths)', async () => {
    const svc = await service()
    const ws = workspace({ 'archive.bin': crypto.randomBytes(3 * 1024 * 1024 + 17) })
    const version = cacheVersion(['journal'])
    const created = await twirp(svc, 'CreateCacheEntry', { key: 'blocks-1', version })
    expect(created.body).toMatchObject({ ok: true })
    const MiB = 1024 * 1024
    const uploaded = await client(svc, ws, [{ op: 'blobUpload', url: created.body.signed_upload_url, file: 'archive.bin', blockSize: MiB, maxSingleShotSize: MiB, concurrency: 2 }])
    expect(uploaded.results).toEqual([{ value: { status: 201 } }])
    const size = ws.read('archive.bin')!.length
    expect(await twirp(svc, 'FinalizeCacheEntryUpload', { key: 'blocks-1', version, size_bytes: String(size) })).toEqual({ status: 200, body: { ok: true, entry_id: '1' } })

    const url = await twirp(svc, 'GetCacheEntryDownloadURL', { key: 'blocks-', version })
    expect(url.body).toMatchObject({ ok: true, matched_key: 'blocks-1' })
    const downloaded = await client(svc, ws, [{ op: 'blobDownload', url: url.body.signed_download_url, blockSize: MiB }])
    expect(downloaded.results).toEqual([{ value: { size, sha256: sha256(ws.read('archive.bin')!) } }])

    const blocks = svc.requests.filter((r) => r.operation === 'PutBlock')
    expect(blocks).toHaveLength(4)
    for (const b of blocks) expect(b.query).toMatchObject({ comp: 'block', blockid: expect.any(String) })
    const list = svc.requests.find((r) => r.operation === 'PutBlockList')!
    expect(list.query.comp).toBe('blocklist')
    expect(list.body).toMatch(/^<\?xml .*<BlockList>(<Latest>[^<]+<\/Latest>){4}<\/BlockList>$/)
    expect(svc.requests.filter((r) => r.operation === 'GetBlobProperties').map((r) => r.method)).toEqual(['HEAD'])
    const ranges = svc.requests.filter((r) => r.operation === 'GetBlob').map((r) => r.headers['x-ms-range'] ?? r.headers.range)
    expect(ranges.sort()).toEqual([`bytes=0-${MiB - 1}`, `bytes=${MiB}-${2 * MiB - 1}`, `bytes=${2 * MiB}-${3 * MiB - 1}`, `bytes=${3 * MiB}-${size - 1}`].sort())
    expect(svc.requests.filter((r) => r.operation === 'GetBlob').map((r) => r.status)).toEqual([206, 206, 206, 206])
  })

  it('delays the matching calls by the injected latency', async () => {
    const svc = await service()
    const version = cacheVersion(['journal'])
    // One call delayed: the first request is held, the second (sent after it) overtakes it.
    svc.faults.delay('GetCacheEntryDownloadURL', 1000, 1)
    const finished: string[] = []
    const call = (name: string) => twirp(svc, 'GetCacheEntryDownloadURL', { key: name, version }).then(() => finished.push(name))
    const slow = call('first')
    await waitFor(() => svc.requests.length === 1, 20_000, 'the first request')
    await Promise.all([slow, call('second')])
    expect(finished).toEqual(['second', 'first'])
    expect(svc.requests.map((r) => r.body)).toEqual([{ key: 'first', version }, { key: 'second', version }])
  })

  it('holds the matching calls until the test releases them', async () => {
    const svc = await service()
    const version = cacheVersion(['journal'])
    const hold = svc.faults.hold('GetCacheEntryDownloadURL')
    const finished: string[] = []
    const held = twirp(svc, 'GetCacheEntryDownloadURL', { key: 'held', version }).then(() => finished.push('held'))
    await waitFor(() => hold.waiting === 1, 20_000, 'the held request')
    // Another operation is not held; the held call answers only once released.
    await twirp(svc, 'CreateCacheEntry', { key: 'other', version }).then(() => finished.push('other'))
    expect(finished).toEqual(['other'])
    hold.release()
    await held
    expect(finished).toEqual(['other', 'held'])
    expect(svc.requests.map((r) => r.status)).toEqual([200, 200])
  })

  it('answers Twirp errors as {code, msg} and refuses foreign tokens and bad signatures', async () => {
    const svc = await service()
    const version = cacheVersion(['journal'])
    expect(await twirp(svc, 'CreateCacheEntry', { key: 'k', version }, 'not.a.token')).toEqual({ status: 401, body: { code: 'unauthenticated', msg: expect.any(String) } })
    expect(await twirp(svc, 'CreateCacheEntry', { version })).toEqual({ status: 400, body: { code: 'invalid_argument', msg: 'key is required' } })
    expect(await twirp(svc, 'Nope', {})).toEqual({ status: 404, body: { code: 'bad_route', msg: expect.any(String) } })
    expect(await twirp(svc, 'GetCacheEntryDownloadURL', { key: 'k', version })).toEqual({ status: 200, body: { ok: false } })
    const created = await twirp(svc, 'CreateCacheEntry', { key: 'k', version })
    expect(await twirp(svc, 'CreateCacheEntry', { key: 'k', version })).toEqual({ status: 409, body: { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' } })
    expect(await twirp(svc, 'FinalizeCacheEntryUpload', { key: 'k', version, size_bytes: '3' })).toEqual({ status: 200, body: { ok: false, message: 'cache entry k has no uploaded data' } })
    const forged = created.body.signed_upload_url.replace(/sig=[^&]+/, 'sig=forged')
    const refused = await fetch(forged, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'abc' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')
    expect(await refused.text()).toMatch(/<Error><Code>AuthenticationFailed<\/Code><Message>/)
  })
})
