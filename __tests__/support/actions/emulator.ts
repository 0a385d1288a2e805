// What the Actions emulators (cache service, artifact service, GitHub API, results receiver)
// share: an HTTP server on 127.0.0.1 that can be closed with its connections, a request read
// into the shape they record, fault rules used up call by call, pauses and holds that end
// when the client goes away, bodies cut short, and temporary folders removed on close.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import os from 'node:os'
import path from 'node:path'

export interface EmulatorServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string
  /** Stops listening and drops every open connection (a held request ends with it). */
  close(): Promise<void>
}

/**
 * Serves `handle` on a free port of 127.0.0.1. A handler that throws answers 500 with the
 * error (or drops the connection when the answer had started).
 */
export async function startEmulatorServer(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void): Promise<EmulatorServer> {
  const sockets = new Set<Socket>()
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error) => {
        if (res.headersSent) return res.destroy()
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(`emulator error: ${error?.stack ?? error}`)
      })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

/** A request as the emulators record it: the raw body, the URL, the query and the headers. */
export interface ReadRequest {
  method: string
  url: URL
  /** The query parameters (the last value wins when a name repeats). */
  query: Record<string, string>
  /** Lowercased header names; repeated headers joined with ', '. */
  headers: Record<string, string>
  body: Buffer
}

export async function readRequest(req: http.IncomingMessage): Promise<ReadRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return { method: req.method ?? 'GET', url, query: Object.fromEntries(url.searchParams), headers, body: Buffer.concat(chunks) }
}

/** The body as JSON, or as text when it is not JSON; `empty` when there is no body. */
export function jsonOrText(body: Buffer, empty: unknown = undefined): unknown {
  if (body.length === 0) return empty
  const text = body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export type OperationSelector<Op extends string> = Op | readonly Op[] | '*'

/**
 * Faults injected by a test, each for some operations and a number of calls; a call uses up
 * one call of a rule. Rules apply in the order they were added.
 */
export class FaultRules<Op extends string, Fault> {
  private readonly rules: Array<{ operations: ReadonlySet<Op> | '*'; left: number; fault: Fault }> = []

  add(operations: OperationSelector<Op>, fault: Fault, times = 1): void {
    const selected = operations === '*' ? '*' : new Set<Op>(typeof operations === 'string' ? [operations as Op] : (operations as readonly Op[]))
    this.rules.push({ operations: selected, left: times, fault })
  }

  /** The first rule for `operation` with calls left that `accepts`, one call used; or undefined. */
  take<Taken extends Fault>(operation: Op, accepts: (fault: Fault) => fault is Taken): Taken | undefined
  take(operation: Op, accepts?: (fault: Fault) => boolean): Fault | undefined
  take(operation: Op, accepts: (fault: Fault) => boolean = () => true): Fault | undefined {
    const rule = this.rules.find((r) => this.applies(r, operation) && accepts(r.fault))
    if (rule) rule.left--
    return rule?.fault
  }

  /** Every rule for `operation` with calls left that `accepts`, one call of each used. */
  takeAll<Taken extends Fault>(operation: Op, accepts: (fault: Fault) => fault is Taken): Taken[]
  takeAll(operation: Op, accepts?: (fault: Fault) => boolean): Fault[]
  takeAll(operation: Op, accepts: (fault: Fault) => boolean = () => true): Fault[] {
    const rules = this.rules.filter((r) => this.applies(r, operation) && accepts(r.fault))
    for (const rule of rules) rule.left--
    return rules.map((r) => r.fault)
  }

  clear(): void {
    this.rules.length = 0
  }

  private applies(rule: { operations: ReadonlySet<Op> | '*'; left: number }, operation: Op): boolean {
    return rule.left > 0 && (rule.operations === '*' || rule.operations.has(operation))
  }
}

/** Waits `ms`, or less when the client of `req` goes away first (nobody is left to answer). */
export function pause(ms: number, req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      req.socket.off('close', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    req.socket.once('close', done)
  })
}

/** A hold on some operations: matching requests wait until it is released or their client goes away. */
export interface Hold {
  /** How many requests are waiting on this hold now. */
  readonly waiting: number
  /** Lets every waiting request go on, and lets new ones through. */
  release(): void
}

/** The holds of an emulator: a test holds an operation, and lets it go on an event it chooses. */
export class Holds<Op extends string> {
  private readonly holds = new Set<{ operations: ReadonlySet<Op> | '*'; waiters: Set<() => void> }>()

  hold(operations: OperationSelector<Op>): Hold {
    const entry = { operations: operations === '*' ? ('*' as const) : new Set<Op>(typeof operations === 'string' ? [operations as Op] : (operations as readonly Op[])), waiters: new Set<() => void>() }
    this.holds.add(entry)
    return {
      get waiting() {
        return entry.waiters.size
      },
      release: () => {
        this.holds.delete(entry)
        for (const wake of [...entry.waiters]) wake()
      },
    }
  }

  /** Resolves once no hold on `operation` is left, or the client of `req` went away. */
  async wait(operation: Op, req: http.IncomingMessage): Promise<void> {
    for (;;) {
      const entry = [...this.holds].find((h) => h.operations === '*' || h.operations.has(operation))
      if (!entry || req.socket.destroyed) return
      const gone = await new Promise<boolean>((resolve) => {
        const wake = (clientGone: boolean) => {
          entry.waiters.delete(onRelease)
          req.socket.off('close', onClose)
          resolve(clientGone)
        }
        const onRelease = () => wake(false)
        const onClose = () => wake(true)
        entry.waiters.add(onRelease)
        req.socket.once('close', onClose)
      })
      if (gone) return
    }
  }

  releaseAll(): void {
    for (const entry of [...this.holds]) {
      this.holds.delete(entry)
      for (const wake of [...entry.waiters]) wake()
    }
  }
}

/** How a body is cut short: 'short' (Content-Length says so) or 'dropped' (the full length announced, then the connection dropped). */
export interface BodyCut {
  bytes: number
  mode: 'short' | 'dropped'
}

/**
 * Writes an answer, whole or cut short. `headers` must not carry content-length; it is set
 * here. `shortHeaders` are added when the cut is 'short' (e.g. the MD5 of what is sent).
 */
export function sendBody(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Buffer, cut?: BodyCut, shortHeaders?: (sent: Buffer) => Record<string, string>): void {
  const statusText = http.STATUS_CODES[status] ?? 'Error'
  if (cut === undefined || cut.bytes >= body.length) {
    res.writeHead(status, statusText, { ...headers, 'content-length': String(body.length) })
    res.end(body)
    return
  }
  const partial = body.subarray(0, Math.max(0, cut.bytes))
  if (cut.mode === 'short') {
    res.writeHead(status, statusText, { ...headers, ...shortHeaders?.(partial), 'content-length': String(partial.length) })
    res.end(partial)
  } else {
    res.writeHead(status, statusText, { ...headers, 'content-length': String(body.length) })
    res.write(partial, () => res.socket?.destroy())
  }
}

/** Temporary folders an emulator hands out (a RUNNER_TEMP, a workspace), removed on close. */
export class TempDirs {
  private readonly dirs: string[] = []

  make(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    this.dirs.push(dir)
    return dir
  }

  removeAll(): void {
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  }
}
