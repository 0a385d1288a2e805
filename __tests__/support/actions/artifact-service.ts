// A loopback fake of the GitHub Actions artifact service v2 (the "Results" service) for tests,
// speaking exactly what @actions/artifact 6.2.1 sends: Twirp JSON under
// /twirp/github.actions.results.api.v1.ArtifactService/<Method>, and the Azure Blob operations
// behind the signed URLs it hands out (Put Block and Put Block List from
// BlockBlobClient.uploadStream, and a plain GET for downloads), served by the same server.
//
// Artifacts belong to a workflow run attempt, identified like the real service does: by the
// `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>` scope of the runtime token
// (the client decodes it with jwt-decode and sends both ids in every request). Each attempt of
// a run gets its own run backend id, so a test can model attempt 1 uploading and attempt 2
// listing and downloading attempt 1's artifact; what a later attempt may see of an earlier one
// is a server option, because field reports disagree (see ArtifactServiceOptions).
//
// It listens on 127.0.0.1 only, never touches the network, records every request and can be
// told to fail any operation (status, Retry-After, latency, a body cut short).
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { FaultRules, jsonOrText, pause, readRequest, sendBody, startEmulatorServer, TempDirs } from './emulator.js'

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
const TWIRP_PREFIX = `/twirp/${ARTIFACT_SERVICE}/`
/** The first path segment of blob URLs (path-style, as Azure SDKs expect for an IP host). */
const ACCOUNT = 'devstoreaccount1'
const CONTAINER = 'actions-results'
const AZURE_VERSION = '2025-11-05'
const SAS_VERSION = '2025-05-05'

export type TwirpMethod = 'CreateArtifact' | 'FinalizeArtifact' | 'ListArtifacts' | 'GetSignedArtifactURL' | 'DeleteArtifact'
export type BlobOperation = 'PutBlock' | 'PutBlockList' | 'GetBlob'
export type ArtifactOperation = TwirpMethod | BlobOperation

const TWIRP_METHODS: TwirpMethod[] = ['CreateArtifact', 'FinalizeArtifact', 'ListArtifacts', 'GetSignedArtifactURL', 'DeleteArtifact']

/** One job of one attempt of a workflow run, as the runner describes it in its environment. */
export interface JobRef {
  /** owner/name */
  repository: string
  /** GITHUB_RUN_ID: the same for every attempt. */
  runId: number
  /** GITHUB_RUN_ATTEMPT, from 1. */
  runAttempt: number
  /** GITHUB_JOB */
  job: string
}

export interface BackendJob extends JobRef {
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  /** An ACTIONS_RUNTIME_TOKEN for this job (a JWT the service accepts). */
  token: string
}

export interface StoredArtifact {
  /** database_id / the REST id. */
  id: number
  name: string
  repository: string
  runId: number
  runAttempt: number
  job: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  /** From CreateArtifact: application/zip, or the file's type with skipArchive. */
  mimeType: string
  /** The name the blob is stored and downloaded under: `<name>.zip` for zips, else the name. */
  fileName: string
  /** The size FinalizeArtifact declared (0 until finalized). */
  size: number
  /** The hash FinalizeArtifact sent, e.g. `sha256:<hex>`. */
  digest?: string
  createdAt: Date
  expiresAt: Date
  finalized: boolean
  /** The committed blob (what a download returns), once Put Block List succeeded. */
  content?: Buffer
}

export interface RecordedArtifactRequest {
  /** twirp: an ArtifactService call; blob: a signed-URL request; other: anything else. */
  kind: 'twirp' | 'blob' | 'other'
  /** The Twirp method or blob operation; 'unknown' for anything the fake does not implement. */
  op: ArtifactOperation | 'unknown'
  method: string
  /** The path without the query string. */
  path: string
  query: Record<string, string>
  /** Lowercased header names. */
  headers: Record<string, string>
  /** Twirp: the parsed JSON body. Put Block List: the XML text. Otherwise undefined. */
  body?: unknown
  bodyBytes: number
  /** The status sent (undefined while the request is in flight). */
  status?: number
  /** True when an injected fault decided the answer. */
  faulted?: boolean
}

export interface ArtifactFault {
  /** Answer with this status: a Twirp error body for Twirp methods, an Azure XML error for blob operations. */
  status?: number
  /** The Twirp `msg` or the Azure `<Message>`; a sensible default per status otherwise. */
  message?: string
  /** A Retry-After header on the faulted answer (the artifact clients ignore it; the fake still sends it). */
  retryAfter?: number | string
  /** Wait this long before answering (on its own: a slow but otherwise normal answer). */
  latencyMs?: number
  /** Send only this many bytes of the body (see truncateAs). */
  truncate?: number
  /**
   * 'dropped-connection' (default): announce the full Content-Length, send `truncate` bytes, then
   * destroy the socket. 'short-body': a complete, well-formed response whose body is just the first
   * `truncate` bytes (Content-Length says so), as a server serving a cut blob would.
   */
  truncateAs?: 'dropped-connection' | 'short-body'
  /** How many matching calls this fault applies to (default 1; Infinity for all). */
  times?: number
  /** Only calls for which this returns true count. */
  when?: (request: RecordedArtifactRequest) => boolean
}

export interface ArtifactServiceOptions {
  /**
   * What a later attempt sees of an earlier attempt's artifacts through the internal (token-less)
   * API. 'visible' (default): ListArtifacts lists them and GetSignedArtifactURL signs them, the
   * behaviour re-runs relied on before July 2026. 'listed-only': listed but GetSignedArtifactURL
   * answers 404 "workflow run not found" (actions/download-artifact#486, July 2026). 'hidden': only
   * the current attempt's artifacts are listed. The REST API always sees every attempt of the run.
   */
  previousAttempts?: 'visible' | 'listed-only' | 'hidden'
  /**
   * Whether a later attempt may upload a name an earlier attempt of the same run already used:
   * 'allowed' (default: the run then has two artifacts with that name) or 'conflict' (409).
   * Within one attempt a duplicate name is always a 409.
   */
  sameNameAcrossAttempts?: 'allowed' | 'conflict'
  /** Retention used when CreateArtifact sends no expires_at (default 90 days). */
  retentionDays?: number
  /** The first artifact id handed out (default 4200000001). */
  firstArtifactId?: number
}

/** The REST shape of an artifact (GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts). */
export interface RestArtifact {
  id: number
  node_id: string
  name: string
  size_in_bytes: number
  url: string
  archive_download_url: string
  expired: boolean
  digest: string | null
  created_at: string
  updated_at: string
  expires_at: string
  workflow_run: { id: number; repository_id: number; head_repository_id: number; head_branch: string; head_sha: string }
}

export interface ArtifactService {
  /** http://127.0.0.1:PORT (no trailing slash): the origin of ACTIONS_RESULTS_URL and of every signed URL. */
  url: string
  /** Every request, in order. */
  requests: RecordedArtifactRequest[]
  /** The stored artifacts (pending ones too, see `finalized`; deleted ones are gone), oldest first. */
  artifacts(filter?: Partial<Pick<StoredArtifact, 'name' | 'repository' | 'runId' | 'runAttempt' | 'finalized'>>): StoredArtifact[]
  /** Registers a job of a run attempt and returns its backend ids and a runtime token for it. */
  job(ref?: Partial<JobRef>): BackendJob
  /** Fails the next matching call(s) of `op`. Faults of one op apply in the order they were added. */
  fault(op: ArtifactOperation, fault: ArtifactFault): void
  clearFaults(): void
  /** The id the next CreateArtifact gets (to model ids that are not in time order across attempts). */
  setNextArtifactId(id: number): void
  /** For the REST fake: the finalized artifacts of a run, every attempt, in the REST shape. */
  restArtifacts(repository: string, runId: number, apiUrl: string): RestArtifact[]
  /** For the REST fake: a short-lived signed download URL of a finalized artifact, or undefined. */
  signedDownloadUrl(repository: string, id: number): string | undefined
  /** For the REST fake: removes a finalized artifact; false when there is none with that id. */
  deleteArtifact(repository: string, id: number): boolean
  /** A temporary directory removed by close(). */
  tempDir(prefix: string): string
  close(): Promise<void>
}

interface TokenClaims {
  scp?: string
}

interface BlobState {
  blocks: Map<string, Buffer>
  committed?: Buffer
  contentType?: string
  etag?: string
  lastModified?: Date
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly azureCode?: string,
  ) {
    super(message)
  }
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

/** A GUID-shaped id derived from a string (stable across calls, like a backend id). */
function guid(seed: string): string {
  const h = crypto.createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** A stable numeric repository id for owner/name (what GitHub's `repository.id` would be). */
export const repositoryIdOf = (repository: string) => Number.parseInt(crypto.createHash('sha256').update(repository).digest('hex').slice(0, 7), 16)

/** RFC 3339 without milliseconds, as GitHub prints times. */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

function twirpCode(status: number): string {
  const codes: Record<number, string> = {
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
    504: 'deadline_exceeded',
  }
  return codes[status] ?? 'unknown'
}

function azureCode(status: number): { code: string; message: string } {
  const codes: Record<number, { code: string; message: string }> = {
    400: { code: 'InvalidInput', message: 'One of the request inputs is not valid.' },
    403: { code: 'AuthorizationFailure', message: 'This request is not authorized to perform this operation.' },
    404: { code: 'BlobNotFound', message: 'The specified blob does not exist.' },
    409: { code: 'BlobAlreadyExists', message: 'The specified blob already exists.' },
    412: { code: 'ConditionNotMet', message: 'The condition specified using HTTP conditional header(s) is not met.' },
    429: { code: 'ServerBusy', message: 'Operations per second is over the account limit.' },
    500: { code: 'InternalError', message: 'Server encountered an internal error. Please try again after some time.' },
    503: { code: 'ServerBusy', message: 'The server is currently unable to receive requests. Please retry your request.' },
  }
  return codes[status] ?? { code: 'InternalError', message: `Injected status ${status}.` }
}


export async function startArtifactService(options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
  const previousAttempts = options.previousAttempts ?? 'visible'
  const sameNameAcrossAttempts = options.sameNameAcrossAttempts ?? 'allowed'
  const retentionDays = options.retentionDays ?? 90
  const secret = crypto.randomBytes(32)
  const requests: RecordedArtifactRequest[] = []
  const stored: StoredArtifact[] = []
  const blobs = new Map<string, BlobState>()
  const jobs = new Map<string, JobRef>() // by workflowJobRunBackendId
  const runs = new Map<string, Omit<JobRef, 'job'>>() // by workflowRunBackendId
  const faults = new FaultRules<ArtifactOperation, ArtifactFault>()
  const tempDirs = new TempDirs()
  let nextId = options.firstArtifactId ?? 4_200_000_001
  let url = ''

  const sign = (text: string) => crypto.createHmac('sha256', secret).update(text).digest('base64')

  function makeToken(job: BackendJob | Omit<BackendJob, 'token'>): string {
    const now = Math.floor(Date.now() / 1000)
    const header = { typ: 'JWT', alg: 'HS256', x5t: 'fake' }
    const payload = {
      nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
      scp: `Actions.ExampleScope Actions.Results:${job.workflowRunBackendId}:${job.workflowJobRunBackendId}`,
      IdentityTypeClaim: 'System:ServiceIdentity',
      // The cache scopes the runner's token carries (read by the cache service, not by this one).
      ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]),
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vstoken.actions.githubusercontent.com',
      nbf: now - 60,
      iat: now - 60,
      exp: now + 6 * 3600,
    }
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
    return `${unsigned}.${crypto.createHmac('sha256', secret).update(unsigned).digest('base64url')}`
  }

  function registerJob(ref: Partial<JobRef> = {}): BackendJob {
    const full: JobRef = {
      repository: ref.repository ?? 'octo-org/octo-repo',
      runId: ref.runId ?? 17_000_000_001,
      runAttempt: ref.runAttempt ?? 1,
      job: ref.job ?? 'build',
    }
    const workflowRunBackendId = guid(`run/${full.repository}/${full.runId}/${full.runAttempt}`)
    const workflowJobRunBackendId = guid(`job/${full.repository}/${full.runId}/${full.runAttempt}/${full.job}`)
    runs.set(workflowRunBackendId, { repository: full.repository, runId: full.runId, runAttempt: full.runAttempt })
    jobs.set(workflowJobRunBackendId, full)
    const ids = { ...full, workflowRunBackendId, workflowJobRunBackendId }
    return { ...ids, token: makeToken(ids) }
  }

  /** The job a runtime token belongs to; throws 401 for a missing, forged or unknown token. */
  function authenticate(header: string | undefined): BackendJob {
    const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1]
    if (!token) throw new HttpError(401, 'missing bearer token')
    const [h, p, s] = token.split('.')
    if (!h || !p || !s) throw new HttpError(401, 'malformed token')
    const expected = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')
    if (s.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(s), Buffer.from(expected))) throw new HttpError(401, 'invalid token signature')
    let claims: TokenClaims & { exp?: number }
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'))
    } catch {
      throw new HttpError(401, 'malformed token')
    }
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) throw new HttpError(401, 'token expired')
    const scope = (claims.scp ?? '').split(' ').find((s) => s.startsWith('Actions.Results:'))
    const [, runBackendId, jobBackendId] = (scope ?? '').split(':')
    const job = jobBackendId ? jobs.get(jobBackendId) : undefined
    if (!job || !runBackendId || !runs.has(runBackendId)) throw new HttpError(401, 'token has no known Actions.Results scope')
    return { ...job, workflowRunBackendId: runBackendId, workflowJobRunBackendId: jobBackendId!, token }
  }

  function blobPathOf(a: Pick<StoredArtifact, 'workflowRunBackendId' | 'workflowJobRunBackendId' | 'fileName'>): string {
    return `/${ACCOUNT}/${CONTAINER}/${a.workflowRunBackendId}/workflow-job-run-${a.workflowJobRunBackendId}/artifacts/${encodeURIComponent(a.fileName)}`
  }

  /** A SAS-like signed URL: the signature covers the decoded path, permissions, expiry and rscd. */
  function signedUrl(artifact: StoredArtifact, permissions: 'cw' | 'r', ttlMs: number): string {
    const p = blobPathOf(artifact)
    const st = isoSeconds(new Date(Date.now() - 5 * 60_000))
    const se = isoSeconds(new Date(Date.now() + ttlMs))
    const rscd = permissions === 'r' ? `attachment; filename="${artifact.fileName}"` : ''
    const sig = sign(`${permissions}\n${se}\n${decodeURIComponent(p)}\n${rscd}`)
    const q = new URLSearchParams({ sv: SAS_VERSION, spr: 'https', st, se, sr: 'b', sp: permissions })
    if (rscd) q.set('rscd', rscd)
    q.set('sig', sig)
    return `${url}${p}?${q.toString()}`
  }

  function checkSas(pathname: string, query: URLSearchParams, need: 'r' | 'w') {
    const sp = query.get('sp') ?? ''
    const se = query.get('se') ?? ''
    const sig = query.get('sig') ?? ''
    const expected = sign(`${sp}\n${se}\n${decodeURIComponent(pathname)}\n${query.get('rscd') ?? ''}`)
    if (!sig || sig !== expected) throw new HttpError(403, 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.', 'AuthenticationFailed')
    if (Date.parse(se) < Date.now()) throw new HttpError(403, 'Signed expiry time has to be after signed start time and in the future.', 'AuthenticationFailed')
    if (!sp.includes(need)) throw new HttpError(403, 'This request is not authorized to perform this operation using this permission.', 'AuthorizationPermissionMismatch')
  }

  const sameRun = (a: { repository: string; runId: number }, b: { repository: string; runId: number }) => a.repository === b.repository && a.runId === b.runId
  const live = (a: StoredArtifact) => a.finalized && a.expiresAt.getTime() > Date.now()

  /** May `caller` reach `artifact` through the internal API (list: listing; sign: download)? */
  function reachable(caller: BackendJob, artifact: StoredArtifact, use: 'list' | 'sign'): boolean {
    if (artifact.workflowRunBackendId === caller.workflowRunBackendId) return true
    if (!sameRun(artifact, caller) || artifact.runAttempt > caller.runAttempt) return false
    if (previousAttempts === 'visible') return true
    if (previousAttempts === 'listed-only') return use === 'list'
    return false
  }

  function checkOwnIds(caller: BackendJob, body: any) {
    if (body?.workflow_run_backend_id !== caller.workflowRunBackendId || body?.workflow_job_run_backend_id !== caller.workflowJobRunBackendId) {
      throw new HttpError(403, 'the backend ids in the request do not match the runtime token')
    }
  }

  const monolith = (a: StoredArtifact) => ({
    workflow_run_backend_id: a.workflowRunBackendId,
    workflow_job_run_backend_id: a.workflowJobRunBackendId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt.toISOString(),
    ...(a.digest ? { digest: a.digest } : {}),
  })

  function twirp(method: TwirpMethod, caller: BackendJob, body: any): unknown {
    const name = typeof body?.name === 'string' ? body.name : ''
    switch (method) {
      case 'CreateArtifact': {
        checkOwnIds(caller, body)
        if (!name) throw new HttpError(400, 'artifact name is required')
        if (typeof body.version !== 'number' || body.version < 4) throw new HttpError(400, `unsupported artifact version: ${body.version}`)
        const taken = stored.some(
          (a) =>
            a.name === name &&
            (a.workflowRunBackendId === caller.workflowRunBackendId || (sameNameAcrossAttempts === 'conflict' && a.finalized && sameRun(a, caller))),
        )
        if (taken) throw new HttpError(409, 'an artifact with this name already exists on the workflow run')
        const mimeType = typeof body.mime_type === 'string' && body.mime_type ? body.mime_type : 'application/zip'
        const expires = typeof body.expires_at === 'string' ? new Date(body.expires_at) : new Date(Date.now() + retentionDays * 86_400_000)
        const artifact: StoredArtifact = {
          id: nextId++,
          name,
          repository: caller.repository,
          runId: caller.runId,
          runAttempt: caller.runAttempt,
          job: caller.job,
          workflowRunBackendId: caller.workflowRunBackendId,
          workflowJobRunBackendId: caller.workflowJobRunBackendId,
          mimeType,
          fileName: mimeType === 'application/zip' ? `${name}.zip` : name,
          size: 0,
          createdAt: new Date(),
          expiresAt: expires,
          finalized: false,
        }
        stored.push(artifact)
        return { ok: true, signed_upload_url: signedUrl(artifact, 'cw', 6 * 3600_000) }
      }
      case 'FinalizeArtifact': {
        checkOwnIds(caller, body)
        const artifact = stored.find((a) => a.workflowRunBackendId === caller.workflowRunBackendId && a.name === name)
        if (!artifact) throw new HttpError(404, 'artifact not found')
        if (!artifact.finalized) {
          const blob = blobs.get(decodeURIComponent(blobPathOf(artifact)))
          if (!blob?.committed) throw new HttpError(400, 'artifact blob has not been uploaded')
          artifact.size = Number(body.size ?? 0)
          if (typeof body.hash === 'string') artifact.digest = body.hash
          artifact.content = blob.committed
          artifact.finalized = true
        }
        return { ok: true, artifact_id: String(artifact.id) }
      }
      case 'ListArtifacts': {
        checkOwnIds(caller, body)
        const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : undefined
        const idFilter = body.id_filter !== undefined ? Number(body.id_filter) : undefined
        const list = stored
          .filter((a) => live(a) && reachable(caller, a, 'list'))
          .filter((a) => nameFilter === undefined || a.name === nameFilter)
          .filter((a) => idFilter === undefined || a.id === idFilter)
          .sort((a, b) => a.id - b.id)
        return { artifacts: list.map(monolith) }
      }
      case 'GetSignedArtifactURL': {
        const owner = runs.get(String(body?.workflow_run_backend_id ?? ''))
        if (!owner) throw new HttpError(404, 'workflow run not found')
        const artifact = stored.find(
          (a) =>
            live(a) &&
            a.workflowRunBackendId === body.workflow_run_backend_id &&
            a.workflowJobRunBackendId === body.workflow_job_run_backend_id &&
            a.name === name,
        )
        if (artifact && !reachable(caller, artifact, 'sign')) throw new HttpError(404, 'workflow run not found')
        if (!artifact) throw new HttpError(404, 'artifact not found')
        return { signed_url: signedUrl(artifact, 'r', 3600_000) }
      }
      case 'DeleteArtifact': {
        const artifact = stored.find(
          (a) => a.finalized && a.workflowRunBackendId === body?.workflow_run_backend_id && a.workflowJobRunBackendId === body?.workflow_job_run_backend_id && a.name === name,
        )
        if (!artifact) throw new HttpError(404, 'artifact not found')
        if (!reachable(caller, artifact, 'sign')) throw new HttpError(404, 'workflow run not found')
        stored.splice(stored.indexOf(artifact), 1)
        blobs.delete(decodeURIComponent(blobPathOf(artifact)))
        return { ok: true, artifact_id: String(artifact.id) }
      }
    }
  }

  function blobOperation(method: string, query: URLSearchParams): BlobOperation | 'unknown' {
    const comp = query.get('comp')
    if (method === 'PUT' && comp === 'block' && query.has('blockid')) return 'PutBlock'
    if (method === 'PUT' && comp === 'blocklist') return 'PutBlockList'
    if (method === 'GET' && !comp) return 'GetBlob'
    return 'unknown'
  }

  function blob(op: BlobOperation, pathname: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, body: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
    const key = decodeURIComponent(pathname)
    const common = { 'x-ms-request-id': crypto.randomUUID(), 'x-ms-version': AZURE_VERSION, date: new Date().toUTCString() }
    switch (op) {
      case 'PutBlock': {
        checkSas(pathname, query, 'w')
        const state: BlobState = blobs.get(key) ?? { blocks: new Map() }
        state.blocks.set(query.get('blockid')!, body)
        blobs.set(key, state)
        return { status: 201, headers: { ...common, 'x-ms-request-server-encrypted': 'true', 'content-length': '0' }, body: Buffer.alloc(0) }
      }
      case 'PutBlockList': {
        checkSas(pathname, query, 'w')
        const state: BlobState = blobs.get(key) ?? { blocks: new Map() }
        const ids = [...body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => m[2]!)
        const parts: Buffer[] = []
        for (const id of ids) {
          const block = state.blocks.get(id)
          if (!block) throw new HttpError(400, 'The specified block list is invalid.', 'InvalidBlockList')
          parts.push(block)
        }
        state.committed = Buffer.concat(parts)
        state.blocks.clear()
        state.contentType = String(headers['x-ms-blob-content-type'] ?? 'application/octet-stream')
        state.etag = `"0x${crypto.randomBytes(7).toString('hex').toUpperCase()}"`
        state.lastModified = new Date()
        blobs.set(key, state)
        return {
          status: 201,
          headers: { ...common, etag: state.etag, 'last-modified': state.lastModified.toUTCString(), 'x-ms-request-server-encrypted': 'true', 'content-length': '0' },
          body: Buffer.alloc(0),
        }
      }
      case 'GetBlob': {
        checkSas(pathname, query, 'r')
        const state = blobs.get(key)
        if (!state?.committed) throw new HttpError(404, 'The specified blob does not exist.', 'BlobNotFound')
        const out: Record<string, string> = {
          ...common,
          'content-type': state.contentType ?? 'application/octet-stream',
          'content-length': String(state.committed.length),
          etag: state.etag ?? '""',
          'last-modified': (state.lastModified ?? new Date()).toUTCString(),
          'accept-ranges': 'bytes',
          'x-ms-blob-type': 'BlockBlob',
          'x-ms-server-encrypted': 'true',
        }
        const rscd = query.get('rscd')
        if (rscd) out['content-disposition'] = rscd
        return { status: 200, headers: out, body: state.committed }
      }
    }
  }

  function takeFault(op: ArtifactOperation | 'unknown', record: RecordedArtifactRequest): ArtifactFault | undefined {
    return op === 'unknown' ? undefined : faults.take(op, (f) => !f.when || f.when(record))
  }

  /** Sends a response, honouring a fault's truncation (full Content-Length, partial body, dropped connection). */
  function send(res: http.ServerResponse, record: RecordedArtifactRequest, status: number, headers: Record<string, string>, body: Buffer, fault?: ArtifactFault) {
    record.status = status
    const h: Record<string, string> = { ...headers }
    if (fault?.retryAfter !== undefined) h['retry-after'] = String(fault.retryAfter)
    const cut = fault?.truncate !== undefined ? { bytes: fault.truncate, mode: fault.truncateAs === 'short-body' ? ('short' as const) : ('dropped' as const) } : undefined
    sendBody(res, status, h, body, cut)
  }

  function sendError(res: http.ServerResponse, record: RecordedArtifactRequest, status: number, message: string, code: string | undefined, fault?: ArtifactFault) {
    if (record.kind === 'blob') {
      const azure = azureCode(status)
      const errCode = code ?? azure.code
      const requestId = crypto.randomUUID()
      const xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${errCode}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`
      send(res, record, status, { 'content-type': 'application/xml', 'x-ms-error-code': errCode, 'x-ms-request-id': requestId, 'x-ms-version': AZURE_VERSION }, Buffer.from(xml), fault)
    } else {
      send(res, record, status, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ code: code ?? twirpCode(status), msg: message })), fault)
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const { url: parsed, headers, method, body: raw } = await readRequest(req)
    let kind: RecordedArtifactRequest['kind'] = 'other'
    let op: RecordedArtifactRequest['op'] = 'unknown'
    let body: unknown
    if (parsed.pathname.startsWith(TWIRP_PREFIX)) {
      kind = 'twirp'
      const m = parsed.pathname.slice(TWIRP_PREFIX.length)
      if ((TWIRP_METHODS as string[]).includes(m)) op = m as TwirpMethod
      body = jsonOrText(raw, {})
    } else if (parsed.pathname.startsWith(`/${ACCOUNT}/`)) {
      kind = 'blob'
      op = blobOperation(method, parsed.searchParams)
      if (op === 'PutBlockList') body = raw.toString('utf8')
    }
    const record: RecordedArtifactRequest = { kind, op, method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), headers, body, bodyBytes: raw.length }
    requests.push(record)

    const fault = takeFault(op, record)
    if (fault) record.faulted = true
    if (fault?.latencyMs) await pause(fault.latencyMs, req)
    if (fault?.status !== undefined) {
      const message = fault.message ?? (kind === 'blob' ? azureCode(fault.status).message : `injected fault: ${fault.status}`)
      sendError(res, record, fault.status, message, undefined, fault)
      return
    }

    try {
      if (kind === 'twirp') {
        if (op === 'unknown') throw new HttpError(404, `no handler for path "${parsed.pathname}"`)
        if (method !== 'POST') throw new HttpError(404, `unsupported method "${method}" (only POST is allowed)`)
        if (!/^application\/json\b/.test(headers['content-type'] ?? '')) throw new HttpError(404, `unexpected Content-Type: "${headers['content-type'] ?? ''}"`)
        if (typeof body !== 'object' || body === null) throw new HttpError(400, 'the request body is not valid JSON')
        const caller = authenticate(headers.authorization)
        const answer = twirp(op as TwirpMethod, caller, body)
        send(res, record, 200, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(answer)), fault)
      } else if (kind === 'blob') {
        if (op === 'unknown') throw new HttpError(400, `The fake does not implement ${method} with comp=${parsed.searchParams.get('comp') ?? ''}.`, 'UnsupportedQueryParameter')
        const answer = blob(op as BlobOperation, parsed.pathname, parsed.searchParams, req.headers, raw)
        send(res, record, answer.status, answer.headers, answer.body, fault)
      } else {
        send(res, record, 404, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ message: `Not emulated by the artifact service fake: ${method} ${parsed.pathname}` })))
      }
    } catch (e) {
      if (e instanceof HttpError) {
        const code = kind === 'twirp' && op === 'unknown' ? 'bad_route' : e.azureCode
        sendError(res, record, e.status, e.message, code, fault)
      } else {
        sendError(res, record, 500, String((e as Error)?.stack ?? e), undefined, fault)
      }
    }
  }

  const server = await startEmulatorServer(handle)
  url = server.url

  const toRest = (a: StoredArtifact, apiUrl: string): RestArtifact => {
    const [owner = '', repo = ''] = a.repository.split('/')
    const repositoryId = repositoryIdOf(a.repository)
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${Buffer.from(String(a.id)).toString('base64').replace(/=+$/, '')}`,
      name: a.name,
      size_in_bytes: a.size,
      url: `${apiUrl}/repos/${owner}/${repo}/actions/artifacts/${a.id}`,
      archive_download_url: `${apiUrl}/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`,
      expired: a.expiresAt.getTime() <= Date.now(),
      digest: a.digest ?? null,
      created_at: isoSeconds(a.createdAt),
      updated_at: isoSeconds(a.createdAt),
      expires_at: isoSeconds(a.expiresAt),
      workflow_run: { id: a.runId, repository_id: repositoryId, head_repository_id: repositoryId, head_branch: 'main', head_sha: crypto.createHash('sha1').update(String(a.runId)).digest('hex') },
    }
  }

  return {
    url,
    requests,
    artifacts(filter = {}) {
      return stored.filter((a) => Object.entries(filter).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v))
    },
    job: registerJob,
    fault: (op, fault) => faults.add(op, fault, fault.times ?? 1),
    clearFaults: () => faults.clear(),
    setNextArtifactId(id) {
      nextId = id
    },
    restArtifacts(repository, runId, apiUrl) {
      return stored.filter((a) => a.finalized && a.repository === repository && a.runId === runId).map((a) => toRest(a, apiUrl))
    },
    signedDownloadUrl(repository, id) {
      const artifact = stored.find((a) => live(a) && a.repository === repository && a.id === id)
      // The REST redirect is short-lived (about a minute on github.com).
      return artifact ? signedUrl(artifact, 'r', 60_000) : undefined
    },
    deleteArtifact(repository, id) {
      const artifact = stored.find((a) => a.finalized && a.repository === repository && a.id === id)
      if (!artifact) return false
      stored.splice(stored.indexOf(artifact), 1)
      blobs.delete(decodeURIComponent(blobPathOf(artifact)))
      return true
    },
    tempDir: (prefix) => tempDirs.make(prefix),
    close() {
      tempDirs.removeAll()
      return server.close()
    },
  }
}

export interface ArtifactEnvOptions extends Partial<JobRef> {
  /** GITHUB_WORKSPACE (the default download path); a fresh directory removed by service.close() otherwise. */
  workspace?: string
  /** RUNNER_TEMP; a fresh directory removed by service.close() otherwise. */
  runnerTemp?: string
  /** Extra or overriding variables (e.g. githubEnv(api), ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY). */
  env?: Record<string, string>
}

/**
 * The environment the runner gives a JavaScript action, pointed at the fake: the runtime token of
 * the given job (see service.job) and ACTIONS_RESULTS_URL, plus the GITHUB_* and RUNNER_* variables
 * the toolkit reads. GITHUB_SERVER_URL stays https://github.com (any other host would make the
 * artifact client take the GHES path); GITHUB_API_URL points at a 404 on the fake unless `env`
 * overrides it (merge githubEnv(api) for the findBy/REST paths), so nothing reaches api.github.com.
 */
export function artifactEnv(service: ArtifactService, extra: ArtifactEnvOptions = {}): Record<string, string> {
  const job = service.job(extra)
  let workspace = extra.workspace
  let runnerTemp = extra.runnerTemp
  if (!workspace || !runnerTemp) {
    const root = service.tempDir('dwf-runner-')
    workspace ??= path.join(root, 'workspace')
    runnerTemp ??= path.join(root, 'temp')
    fs.mkdirSync(workspace, { recursive: true })
    fs.mkdirSync(runnerTemp, { recursive: true })
  }
  const [owner = ''] = job.repository.split('/')
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ACTIONS_RUNTIME_TOKEN: job.token,
    ACTIONS_RUNTIME_URL: `${service.url}/`,
    ACTIONS_RESULTS_URL: `${service.url}/`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: `${service.url}/_github-api-not-emulated-here`,
    GITHUB_GRAPHQL_URL: `${service.url}/_github-api-not-emulated-here/graphql`,
    GITHUB_REPOSITORY: job.repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_RUN_ID: String(job.runId),
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: String(job.runAttempt),
    GITHUB_JOB: job.job,
    GITHUB_WORKFLOW: 'review',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REF: 'refs/pull/1/merge',
    GITHUB_SHA: crypto.createHash('sha1').update(String(job.runId)).digest('hex'),
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...(extra.env ?? {}),
  }
}
