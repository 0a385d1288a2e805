import { WorkflowError } from '../core/errors.js'
import { errorForStatus } from './provider-errors.js'
import { redact } from './redact.js'

/**
 * A typed error from what the official SDKs throw. Both SDKs are generated alike (an
 * `APIError` with `status` and `headers`, connection and timeout subclasses), so this reads
 * them by shape; their own retries are off, because the engine retries.
 */
export function fromSdkError(error: unknown, signal: AbortSignal, secrets: readonly string[]): unknown {
  if (signal.aborted) return signal.reason ?? error
  if (error instanceof WorkflowError) return error // ours (e.g. an answer over its size limit), already typed
  if (!(error instanceof Error)) return new WorkflowError('PROVIDER', redact(String(error), secrets))
  const name = error.constructor?.name ?? error.name
  if (name === 'APIUserAbortError') return signal.reason ?? error
  if (name === 'APIConnectionTimeoutError') return new WorkflowError('TIMEOUT', `the provider did not answer in time: ${redact(error.message, secrets)}`)
  if (name === 'APIConnectionError') return new WorkflowError('PROVIDER', `could not reach the provider: ${redact(error.message, secrets)}`, { transient: true })
  const status = (error as { status?: unknown }).status
  if (typeof status === 'number') {
    const headers = (error as { headers?: { get?(name: string): string | null } }).headers
    return errorForStatus(status, error.message, { retryAfter: headers?.get?.('retry-after'), secrets })
  }
  // A body the SDK could not parse (a proxy's HTML page, a cut stream) may well work next time.
  if (error instanceof SyntaxError || /JSON|parse|stream/i.test(error.message))
    return new WorkflowError('PROVIDER', `the provider sent a malformed answer: ${redact(error.message, secrets)}`, { transient: true })
  return new WorkflowError('PROVIDER', redact(error.message, secrets))
}
