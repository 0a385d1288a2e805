// A local emulator of the GitHub Actions cache service v2, for tests that run the official
// @actions/cache client unmodified. It speaks what @actions/cache 6.3.0 sends:
//   - Twirp JSON: POST /twirp/github.actions.results.api.v1.CacheService/{CreateCacheEntry,
//     FinalizeCacheEntryUpload,GetCacheEntryDownloadURL}, proto (snake_case) field names, int64
//     as strings, errors as {code, msg} with the Twirp HTTP status;
//   - the Azure Blob REST operations behind the signed URLs it hands out (served here too, at
//     path-style URLs http://127.0.0.1:PORT/<account>/<container>/<blob>?<SAS>): Put Blob, Put
//     Block, Put Block List (uploads through @azure/storage-blob), Get Blob with ranges and
//     Get Blob Properties (plain GET through @actions/http-client, or the Azure SDK).
// Behaviour follows the documented service: entries keyed by (scope, key, version), immutable
// keys (409), restore matching in the documented order across the token's readable scopes,
// scopes read from the runtime token's `ac` claim (as the real service does), read-only tokens
// refused with the `cache write denied:` message. Faults can be injected per operation, and
// every request is recorded. It listens on 127.0.0.1 only.
import crypto from 'node:crypto'
import http from 'node:http'
import { FaultRules, Holds, pause, readRequest, sendBody, startEmulatorServer, TempDirs, type Hold, type OperationSelector } from './emulator.js'

export const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService'
/** Permission bits of a cache scope in the runtime token's `ac` claim. */
export const CachePermission = { read: 1, write: 2, readWrite: 3 } as const

export type TwirpMethod = 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'GetCacheEntryDownloadURL'
export type BlobOperation = 'PutBlob' | 'PutBlock' | 'PutBlockList' | 'GetBlob' | 'GetBlobProperties'
export type CacheOperation = TwirpMethod | BlobOperation

export const TWIRP_METHODS: readonly TwirpMethod[] = ['CreateCacheEntry', 'FinalizeCacheEntryUpload', 'GetCacheEntryDownloadURL']
export const BLOB_OPERATIONS: readonly BlobOperation[] = ['PutBlob', 'PutBlock', 'PutBlockList', 'GetBlob', 'GetBlobProperties']

/** One cache scope of a token: a ref and its permission bits (1 read, 2 write, 3 both). */
export interface CacheScope {
  scope: string
  permission: number
}

export interface CacheServiceOptions {
  /** The scopes put in tokens minted by `token()` / `cacheEnv()`. Default: refs/heads/main, read and write. */
  scopes?: CacheScope[]
  /** The storage account in blob URLs (default devstoreaccount1, as Azurite and gacs). */
  account?: string
}

export interface CacheEntryInfo {
  id: number
  key: string
  version: string
  scope: string
  /** Bytes of the uploaded archive (0 until uploaded). */
  size: number
  createdAt: Date
  /** False while the entry is reserved but not finalized. */
  finalized: boolean
}

export interface RecordedCacheRequest {
  operation: CacheOperation | 'unknown'
  method: string
  /** The path without the query string. */
  path: string
  /** The query parameters (the last value wins when a name repeats). */
  query: Record<string, string>
  /** Lowercased header names. */
  headers: Record<string, string>
  /** Twirp: the parsed JSON body. Put Block List: the XML text. Otherwise undefined. */
  body?: unknown
  bodyBytes: number
  /** The status sent (set when the response is written). */
  status?: number
  /** Set when an injected fault decided the response: 'fail', 'truncate'. */
  fault?: string
}


export interface FailFault {
  status: number
  /** How many matching calls fail (default 1; Infinity for every call). */
  times?: number
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number
  /** Twirp `msg` / Azure error message. */
  message?: string
  /** A raw body instead of the Twirp / Azure error body (e.g. a proxy's HTML page). */
  body?: string
}

export interface TruncateFault {
  /** How many bytes of the body are sent. */
  bytes: number
  /**
   * 'reset' (default): the headers announce the full length, the connection is destroyed after
   * `bytes` bytes. 'short': the headers announce `bytes` (a consistent but short response).
   */
  mode?: 'reset' | 'short'
  times?: number
}

export interface CacheFaults {
  /** Answer the next `times` matching calls with `status` (Twirp or Azure error body). */
  fail(operations: OperationSelector<CacheOperation>, fault: FailFault): void
  /** Hold the next `times` (default every) matching calls for `ms` before answering (less if the client goes away). */
  delay(operations: OperationSelector<CacheOperation>, ms: number, times?: number): void
  /**
   * Hold every matching call until `release()` (or until its client goes away): a test lets
   * the call go on at an event of its choosing instead of after a time.
   */
  hold(operations: OperationSelector<CacheOperation>): Hold
  /** Cut the body of the next Get Blob download(s). */
  truncate(fault: TruncateFault): void
  /** Remove every fault, and release every hold. */
  clear(): void
}

export interface CacheService {
  /** http://127.0.0.1:PORT/ (with the trailing slash, as the runner's ACTIONS_RESULTS_URL). */
  url: string
  /** Scopes of tokens minted from now on (mutable). */
  scopes: CacheScope[]
  faults: CacheFaults
  /** Every request, in arrival order. */
  requests: RecordedCacheRequest[]
  /** A runtime token (JWT signed by this service) carrying `scopes` in its `ac` claim. */
  token(scopes?: CacheScope[]): string
  /** The entries, oldest first; reserved but unfinalized ones only with includePending. */
  entries(options?: { includePending?: boolean }): CacheEntryInfo[]
  /** Evicts the entries with this key (optionally one version / scope); returns how many. */
  delete(key: string, options?: { version?: string; scope?: string }): number
  /** A fresh temporary directory removed on close (used for RUNNER_TEMP). */
  tempDir(): string
  close(): Promise<void>
}

interface Entry {
  id: number
  key: string
  version: string
  scope: string
  createdAt: Date
  /** Creation order; breaks ties between entries created within the same millisecond. */
  seq: number
  finalized: boolean
  blob: string
  uploadSig: string
  downloadSig: string
  data?: Buffer
  uncommitted: Map<string, Buffer>
  committed: Map<string, Buffer>
  etag: string
  lastModified: Date
}

type FaultRule = { kind: 'fail'; fail: FailFault } | { kind: 'delay'; ms: number } | { kind: 'truncate'; truncate: TruncateFault }

const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  408: 'deadline_exceeded',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  501: 'unimplemented',
  503: 'unavailable',
}
const AZURE_CODES: Record<number, string> = {
  400: 'InvalidInput',
  403: 'AuthorizationFailure',
  404: 'BlobNotFound',
  409: 'Conflict',
  412: 'ConditionNotMet',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServerBusy',
}
const STATUS_TEXT = (status: number) => http.STATUS_CODES[status] ?? 'Error'
const ofKind =
  <K extends FaultRule['kind']>(kind: K) =>
  (rule: FaultRule): rule is Extract<FaultRule, { kind: K }> =>
    rule.kind === kind

const WRITE_DENIED = 'cache write denied: token has no writable scopes'
const READ_DENIED = 'cache read denied: token has no readable scopes'
const CONFLICT = 'cache entry with the same key, version, and scope already exists'
const CONTAINER = 'actions-cache'

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')
const md5 = (data: Buffer) => crypto.createHash('md5').update(data).digest('base64')
const newEtag = () => `"0x8D${crypto.randomBytes(6).toString('hex').toUpperCase()}"`

export async function startCacheService(options: CacheServiceOptions = {}): Promise<CacheService> {
  const account = options.account ?? 'devstoreaccount1'
  const secret = crypto.randomBytes(32)
  const runBackendId = crypto.randomUUID()
  const jobBackendId = crypto.randomUUID()
  const entries: Entry[] = []
  const blobs = new Map<string, Entry>()
  const requests: RecordedCacheRequest[] = []
  const rules = new FaultRules<CacheOperation, FaultRule>()
  const holds = new Holds<CacheOperation>()
  const tempDirs = new TempDirs()
  let nextId = 1
  let nextSeq = 1
  let baseUrl = ''

  // ---- faults ----------------------------------------------------------------------------
  const faults: CacheFaults = {
    fail: (operations, fault) => rules.add(operations, { kind: 'fail', fail: fault }, fault.times ?? 1),
    delay: (operations, ms, times = Infinity) => rules.add(operations, { kind: 'delay', ms }, times),
    hold: (operations) => holds.hold(operations),
    truncate: (fault) => rules.add('GetBlob', { kind: 'truncate', truncate: fault }, fault.times ?? 1),
    clear() {
      rules.clear()
      holds.releaseAll()
    },
  }

  // ---- tokens ----------------------------------------------------------------------------
  function token(scopes: CacheScope[] = service.scopes): string {
    const now = Math.floor(Date.now() / 1000)
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const payload = b64url(
      JSON.stringify({
        nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
        scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
        ac: JSON.stringify(scopes.map((s) => ({ Scope: s.scope, Permission: s.permission }))),
        iss: 'vstoken.actions.githubusercontent.com',
        aud: 'vso:00000000-0000-0000-0000-000000000000',
        iat: now,
        nbf: now - 60,
        exp: now + 6 * 3600,
      }),
    )
    const signature = b64url(crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest())
    return `${header}.${payload}.${signature}`
  }
  /** The scopes of a request's bearer token, or undefined when the token is missing or not ours. */
  function tokenScopes(authorization: string | undefined): CacheScope[] | undefined {
    const match = /^Bearer (.+)$/.exec(authorization ?? '')
    const parts = match?.[1]!.split('.') ?? []
    if (parts.length !== 3) return undefined
    const expected = b64url(crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest())
    if (expected !== parts[2]) return undefined
    try {
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
      const ac = JSON.parse(typeof claims.ac === 'string' ? claims.ac : '[]')
      return Array.isArray(ac) ? ac.map((s: any) => ({ scope: String(s.Scope), permission: Number(s.Permission) })) : []
    } catch {
      return undefined
    }
  }

  // ---- responses -------------------------------------------------------------------------
  function send(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string = '') {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body
    // A HEAD answer announces the blob's length without a body.
    res.writeHead(status, STATUS_TEXT(status), { 'content-length': String(buffer.length), ...headers })
    res.end(buffer)
  }
  const twirpJson = (res: http.ServerResponse, body: unknown) => send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(body))
  function twirpError(res: http.ServerResponse, status: number, msg: string, extra: Record<string, string> = {}, code = TWIRP_CODES[status] ?? (status >= 500 ? 'internal' : 'unknown')) {
    send(res, status, { 'content-type': 'application/json', ...extra }, JSON.stringify({ code, msg }))
  }
  function azureHeaders(req: http.IncomingMessage): Record<string, string> {
    return {
      'x-ms-request-id': crypto.randomUUID(),
      'x-ms-version': String(req.headers['x-ms-version'] ?? '2025-01-05'),
      date: new Date().toUTCString(),
      ...(req.headers['x-ms-client-request-id'] ? { 'x-ms-client-request-id': String(req.headers['x-ms-client-request-id']) } : {}),
    }
  }
  function azureError(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { ...azureHeaders(req), 'x-ms-error-code': code, ...extra }
    if (req.method === 'HEAD') return send(res, status, headers)
    const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${headers['x-ms-request-id']}\nTime:${new Date().toISOString()}</Message></Error>`
    send(res, status, { ...headers, 'content-type': 'application/xml' }, xml)
  }

  // ---- matching --------------------------------------------------------------------------
  function newest(candidates: Entry[]): Entry | undefined {
    return candidates.reduce<Entry | undefined>((best, e) => (!best || e.seq > best.seq ? e : best), undefined)
  }
  /** Exact primary, primary prefix, then each restore key exact then prefix; scope by scope. */
  function findEntry(scopes: string[], version: string, primary: string, restoreKeys: string[]): Entry | undefined {
    for (const scope of scopes) {
      const visible = entries.filter((e) => e.finalized && e.scope === scope && e.version === version)
      for (const key of [primary, ...restoreKeys]) {
        const exact = visible.find((e) => e.key === key)
        if (exact) return exact
        const prefixed = newest(visible.filter((e) => e.key.startsWith(key)))
        if (prefixed) return prefixed
      }
    }
    return undefined
  }
  const blobUrl = (entry: Entry, sig: string, permissions: string) => {
    const expiry = new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const query = new URLSearchParams({ sv: '2025-01-05', se: expiry, sr: 'b', sp: permissions, sig })
    return `${baseUrl}${account}/${CONTAINER}/${entry.blob}?${query}`
  }

  // ---- Twirp -----------------------------------------------------------------------------
  function handleTwirp(method: TwirpMethod, req: http.IncomingMessage, res: http.ServerResponse, body: any) {
    const scopes = tokenScopes(req.headers.authorization)
    if (!scopes) return twirpError(res, 401, 'invalid or missing runtime token')
    if (!body || typeof body !== 'object') return twirpError(res, 400, 'the request body is not a JSON object')
    const key = typeof body.key === 'string' ? body.key : ''
    const version = typeof body.version === 'string' ? body.version : ''
    if (!key) return twirpError(res, 400, 'key is required')
    if (!version) return twirpError(res, 400, 'version is required')
    const writable = scopes.find((s) => (s.permission & CachePermission.write) !== 0)?.scope

    if (method === 'CreateCacheEntry') {
      if (key.length > 512) return twirpError(res, 400, 'key is longer than 512 characters')
      if (!writable) return twirpJson(res, { ok: false, message: WRITE_DENIED })
      if (entries.some((e) => e.key === key && e.version === version && e.scope === writable)) return twirpError(res, 409, CONFLICT)
      const now = new Date()
      const entry: Entry = {
        id: nextId++,
        key,
        version,
        scope: writable,
        createdAt: now,
        seq: nextSeq++,
        finalized: false,
        blob: crypto.randomUUID(),
        uploadSig: b64url(crypto.randomBytes(24)),
        downloadSig: b64url(crypto.randomBytes(24)),
        uncommitted: new Map(),
        committed: new Map(),
        etag: newEtag(),
        lastModified: now,
      }
      entries.push(entry)
      blobs.set(entry.blob, entry)
      return twirpJson(res, { ok: true, signed_upload_url: blobUrl(entry, entry.uploadSig, 'cw') })
    }

    if (method === 'FinalizeCacheEntryUpload') {
      if (!writable) return twirpJson(res, { ok: false, message: WRITE_DENIED })
      const entry = entries.find((e) => e.key === key && e.version === version && e.scope === writable)
      if (!entry) return twirpError(res, 404, 'cache entry not found')
      if (entry.finalized) return twirpError(res, 409, 'cache entry is already finalized')
      if (!entry.data) return twirpJson(res, { ok: false, message: `cache entry ${key} has no uploaded data` })
      const size = Number(body.size_bytes ?? 0)
      if (size !== entry.data.length) return twirpJson(res, { ok: false, message: `size_bytes ${size} does not match the uploaded size ${entry.data.length}` })
      entry.finalized = true
      return twirpJson(res, { ok: true, entry_id: String(entry.id) })
    }

    // GetCacheEntryDownloadURL
    const readable = scopes.filter((s) => (s.permission & CachePermission.read) !== 0).map((s) => s.scope)
    if (readable.length === 0) return twirpError(res, 403, READ_DENIED)
    const restoreKeys: string[] = Array.isArray(body.restore_keys) ? body.restore_keys.filter((k: unknown): k is string => typeof k === 'string') : []
    const entry = findEntry(readable, version, key, restoreKeys)
    if (!entry) return twirpJson(res, { ok: false })
    return twirpJson(res, { ok: true, signed_download_url: blobUrl(entry, entry.downloadSig, 'r'), matched_key: entry.key })
  }

  // ---- Blob ------------------------------------------------------------------------------
  function blobOperation(req: http.IncomingMessage, query: Record<string, string>): BlobOperation | undefined {
    if (req.method === 'PUT' && query.comp === undefined) return 'PutBlob'
    if (req.method === 'PUT' && query.comp === 'block') return 'PutBlock'
    if (req.method === 'PUT' && query.comp === 'blocklist') return 'PutBlockList'
    if (req.method === 'GET' && query.comp === undefined) return 'GetBlob'
    if (req.method === 'HEAD' && query.comp === undefined) return 'GetBlobProperties'
    return undefined
  }
  function blobHeaders(req: http.IncomingMessage, entry: Entry): Record<string, string> {
    return {
      ...azureHeaders(req),
      etag: entry.etag,
      'last-modified': entry.lastModified.toUTCString(),
      'x-ms-creation-time': entry.createdAt.toUTCString(),
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-lease-status': 'unlocked',
      'x-ms-lease-state': 'available',
      'x-ms-server-encrypted': 'true',
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    }
  }
  function written(req: http.IncomingMessage, res: http.ServerResponse, entry: Entry, extra: Record<string, string> = {}) {
    send(res, 201, { ...azureHeaders(req), etag: entry.etag, 'last-modified': entry.lastModified.toUTCString(), 'x-ms-request-server-encrypted': 'true', ...extra })
  }
  function handleBlob(op: BlobOperation, entry: Entry, req: http.IncomingMessage, res: http.ServerResponse, query: Record<string, string>, body: Buffer, record: RecordedCacheRequest) {
    const writing = op === 'PutBlob' || op === 'PutBlock' || op === 'PutBlockList'
    const sigOk = writing ? query.sig === entry.uploadSig && (query.sp ?? '').includes('w') : query.sig === entry.downloadSig && (query.sp ?? '').includes('r')
    if (!sigOk) return azureError(req, res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.')
    if (writing && entry.finalized) return azureError(req, res, 409, 'BlobImmutable', 'This cache entry is finalized and cannot be written.')
    const declared = req.headers['content-length']
    if (writing && declared !== undefined && Number(declared) !== body.length) return azureError(req, res, 400, 'InvalidInput', 'Content-Length does not match the body.')

    if (op === 'PutBlob') {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return azureError(req, res, 400, 'MissingRequiredHeader', 'x-ms-blob-type must be BlockBlob.')
      entry.data = body
      entry.uncommitted.clear()
      entry.committed.clear()
      entry.etag = newEtag()
      entry.lastModified = new Date()
      return written(req, res, entry, { 'content-md5': md5(body) })
    }
    if (op === 'PutBlock') {
      const id = query.blockid
      if (!id || Buffer.from(id, 'base64').length === 0 || Buffer.from(id, 'base64').length > 64) {
        return azureError(req, res, 400, 'InvalidQueryParameterValue', 'Value for one of the query parameters specified in the request URI is invalid (blockid).')
      }
      entry.uncommitted.set(id, body)
      return send(res, 201, { ...azureHeaders(req), 'content-md5': md5(body), 'x-ms-request-server-encrypted': 'true' })
    }
    if (op === 'PutBlockList') {
      const xml = body.toString('utf8')
      record.body = xml
      const list = [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)]
      const chunks: Buffer[] = []
      const committed = new Map<string, Buffer>()
      for (const [, kind, id] of list) {
        const block =
          kind === 'Committed' ? entry.committed.get(id!) : kind === 'Uncommitted' ? entry.uncommitted.get(id!) : (entry.uncommitted.get(id!) ?? entry.committed.get(id!))
        if (!block) return azureError(req, res, 400, 'InvalidBlockList', 'The specified block list is invalid.')
        chunks.push(block)
        committed.set(id!, block)
      }
      entry.data = Buffer.concat(chunks)
      entry.committed = committed
      entry.uncommitted.clear()
      entry.etag = newEtag()
      entry.lastModified = new Date()
      return written(req, res, entry)
    }

    // GetBlob / GetBlobProperties
    const data = entry.data
    if (!data) return azureError(req, res, 404, 'BlobNotFound', 'The specified blob does not exist.')
    if (op === 'GetBlobProperties') return send(res, 200, { ...blobHeaders(req, entry), 'content-length': String(data.length) }, Buffer.alloc(0))
    let status = 200
    let slice = data
    const headers = blobHeaders(req, entry)
    const range = String(req.headers['x-ms-range'] ?? req.headers.range ?? '')
    if (range) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range)
      const start = m ? Number(m[1]) : NaN
      if (!m || start >= data.length) {
        return azureError(req, res, 416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.', { 'content-range': `bytes */${data.length}` })
      }
      const end = m[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1
      slice = data.subarray(start, end + 1)
      status = 206
      headers['content-range'] = `bytes ${start}-${end}/${data.length}`
    } else {
      headers['content-md5'] = md5(data)
    }
    const cut = rules.take('GetBlob', ofKind('truncate'))
    if (!cut) return send(res, status, headers, slice)
    record.fault = 'truncate'
    const mode = cut.truncate.mode === 'short' ? 'short' : 'dropped'
    sendBody(res, status, headers, slice, { bytes: Math.min(cut.truncate.bytes, slice.length), mode }, (sent) => ({ 'content-md5': md5(sent) }))
  }

  // ---- server ----------------------------------------------------------------------------
  const twirpPrefix = `/twirp/${CACHE_SERVICE}/`
  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const { url, query, headers, body } = await readRequest(req)

    const twirpMethod = url.pathname.startsWith(twirpPrefix) ? url.pathname.slice(twirpPrefix.length) : undefined
    const isTwirp = req.method === 'POST' && TWIRP_METHODS.includes(twirpMethod as TwirpMethod)
    const [, acct, container, blobName, ...rest] = url.pathname.split('/')
    const entry = acct === account && container === CONTAINER && rest.length === 0 ? blobs.get(blobName ?? '') : undefined
    const op: CacheOperation | undefined = isTwirp ? (twirpMethod as TwirpMethod) : entry ? blobOperation(req, query) : undefined

    let parsed: unknown
    if (isTwirp) {
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}')
      } catch {
        parsed = body.toString('utf8')
      }
    }
    const record: RecordedCacheRequest = { operation: op ?? 'unknown', method: req.method ?? '', path: url.pathname, query, headers, body: parsed, bodyBytes: body.length }
    requests.push(record)
    res.on('finish', () => (record.status = res.statusCode))
    res.on('close', () => (record.status ??= res.statusCode))

    if (!op) {
      if (url.pathname.startsWith('/twirp/')) return twirpError(res, 404, `no handler for path ${req.method} ${url.pathname}`, {}, 'bad_route')
      return azureError(req, res, acct === account && blobName ? 404 : 400, acct === account && blobName ? 'BlobNotFound' : 'InvalidUri', 'The requested URI does not represent any resource on the server.')
    }

    const waitMs = rules.takeAll(op, ofKind('delay')).reduce((sum, rule) => sum + rule.ms, 0)
    if (waitMs > 0) await pause(waitMs, req)
    await holds.wait(op, req)

    const failure = rules.take(op, ofKind('fail'))?.fail
    if (failure) {
      record.fault = 'fail'
      const extra: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}
      const message = failure.message ?? `injected fault: ${failure.status} ${STATUS_TEXT(failure.status)}`
      if (failure.body !== undefined) return send(res, failure.status, { 'content-type': 'text/html', ...extra }, failure.body)
      if (isTwirp) return twirpError(res, failure.status, message, extra)
      return azureError(req, res, failure.status, AZURE_CODES[failure.status] ?? 'InternalError', message, extra)
    }

    if (isTwirp) return handleTwirp(op as TwirpMethod, req, res, parsed)
    return handleBlob(op as BlobOperation, entry!, req, res, query, body, record)
  }

  const server = await startEmulatorServer(handle)
  baseUrl = `${server.url}/`

  const info = (e: Entry): CacheEntryInfo => ({ id: e.id, key: e.key, version: e.version, scope: e.scope, size: e.data?.length ?? 0, createdAt: e.createdAt, finalized: e.finalized })
  const service: CacheService = {
    url: baseUrl,
    scopes: options.scopes ?? [{ scope: 'refs/heads/main', permission: CachePermission.readWrite }],
    faults,
    requests,
    token,
    entries: (opts = {}) => entries.filter((e) => e.finalized || opts.includePending).map(info),
    delete(key, opts = {}) {
      let removed = 0
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]!
        if (e.key !== key || (opts.version !== undefined && e.version !== opts.version) || (opts.scope !== undefined && e.scope !== opts.scope)) continue
        entries.splice(i, 1)
        blobs.delete(e.blob)
        removed++
      }
      return removed
    },
    tempDir: () => tempDirs.make('dwf-runner-temp-'),
    async close() {
      holds.releaseAll()
      await server.close()
      tempDirs.removeAll()
    },
  }
  return service
}

/**
 * The environment the runner gives a JavaScript action for cache service v2, pointing at the
 * emulator: ACTIONS_RESULTS_URL (trailing slash), ACTIONS_RUNTIME_TOKEN (a JWT carrying the
 * service's current `scopes`), ACTIONS_CACHE_SERVICE_V2, GITHUB_SERVER_URL and a fresh
 * RUNNER_TEMP. `extra` is merged last (e.g. ACTIONS_CACHE_MODE, GITHUB_WORKSPACE); an
 * undefined value removes a variable.
 */
export function cacheEnv(service: CacheService, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    ACTIONS_RESULTS_URL: service.url,
    ACTIONS_RUNTIME_TOKEN: service.token(),
    ACTIONS_CACHE_SERVICE_V2: 'True',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: service.tempDir(),
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}
