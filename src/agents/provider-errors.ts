import { WorkflowError } from '../core/errors.js'
import { redact } from './redact.js'

/**
 * Typed provider errors from HTTP statuses, shared by the SDK-based and CLI-based providers:
 * 401/403 AUTH; 404 about a model MODEL; 429 RATE_LIMITED (transient, honouring retry-after); 408 TIMEOUT;
 * 409/5xx/529 PROVIDER transient; other 4xx PROVIDER. Messages are redacted.
 */
export function errorForStatus(status: number, message: string, options: { retryAfter?: string | null; secrets?: readonly string[] } = {}): WorkflowError {
  const text = redact(message, options.secrets)
  if (status === 401 || status === 403) return new WorkflowError('AUTH', `authentication failed (${status}): ${text}`)
  // Anthropic: 404 not_found_error "model: x"; OpenAI: 404 model_not_found "The model `x` does not exist".
  if (status === 404 && /\bmodel\b/i.test(text)) return new WorkflowError('MODEL', `unknown model (404): ${text}`)
  if (status === 429) return new WorkflowError('RATE_LIMITED', `rate limited (429): ${text}`, { retryAfterMs: parseRetryAfter(options.retryAfter) })
  if (status === 408) return new WorkflowError('TIMEOUT', `the provider timed out (408): ${text}`)
  if (status === 409 || status >= 500) return new WorkflowError('PROVIDER', `provider error (${status}): ${text}`, { transient: true })
  return new WorkflowError('PROVIDER', `provider error (${status}): ${text}`)
}

/** Milliseconds from a retry-after header (seconds, or an HTTP date); undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  const date = Date.parse(value)
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined
}
