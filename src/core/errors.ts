
/**
 * Error codes of the engine and the providers. They cross the QuickJS boundary and the
 * journal/snapshot as plain strings, so code never depends on `instanceof` across realms.
 * A code from outside the runner (a script's own error object) is never taken on trust:
 * anything not in this list is SCRIPT_ERROR.
 */
export const ERROR_CODES = [
  // provider outcomes
  'AUTH',
  /** The provider does not know the model (or the key cannot use it). */
  'MODEL',
  'RATE_LIMITED',
  'TIMEOUT',
  'PROVIDER',
  'EMPTY_OUTPUT',
  'SCHEMA_NONCOMPLIANCE',
  // engine decisions
  'BUDGET_EXHAUSTED',
  'MAX_AGENTS',
  'STOPPED',
  'INVALID_CALL',
  /** Refused by the run's live policy (e.g. another shard runs it). */
  'DEFERRED',
  // editing calls (edits: true)
  /** The call's changes overlap an earlier call's changes to the same lines. */
  'CONFLICT',
  /** The call's tree could not be made, read or applied (git missing, a refused path). */
  'EDIT_FAILED',
  // the script itself
  'SCRIPT_ERROR',
  'INVALID_SCRIPT',
  'DETERMINISM',
  'CPU_LIMIT',
  'MEMORY_LIMIT',
  'NOT_SERIALIZABLE',
  'PARALLEL_FAILED',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/** Whether a string from outside (the guest, a file) is one of the runner's codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value)
}

/** Errors worth another attempt with the same inputs. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT'])

/** Errors after which the run cannot succeed, whatever the script catches (the guest prelude uses this list too). */
export const FATAL_CODES: readonly ErrorCode[] = ['BUDGET_EXHAUSTED', 'MAX_AGENTS', 'STOPPED', 'CPU_LIMIT', 'MEMORY_LIMIT', 'AUTH', 'MODEL']

/**
 * Provider errors no other call can escape (a bad key, an unknown model): the first one trips
 * the breaker, and no further call is started, instead of each of a thousand failing alike.
 */
export const BREAKER_CODES: readonly ErrorCode[] = ['AUTH', 'MODEL']
const FATAL: ReadonlySet<ErrorCode> = new Set(FATAL_CODES)

/** The data form of an error: what events, snapshots and the sandbox carry. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  /** 1-based line in the workflow script, when known. */
  line?: number
  column?: number
}

export interface WorkflowErrorOptions {
  line?: number
  column?: number
  /** Overrides the code's default: e.g. a provider's 503 is a transient PROVIDER error. */
  transient?: boolean
  /** From a provider's `retry-after`. */
  retryAfterMs?: number
  cause?: unknown
}

export class WorkflowError extends Error {
  readonly code: ErrorCode
  readonly line?: number
  readonly column?: number
  readonly transient: boolean
  readonly retryAfterMs?: number

  constructor(code: ErrorCode, message: string, options: WorkflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'WorkflowError'
    this.code = code
    this.line = options.line
    this.column = options.column
    this.transient = options.transient ?? TRANSIENT.has(code)
    this.retryAfterMs = options.retryAfterMs
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, ...(this.line !== undefined ? { line: this.line } : {}), ...(this.column !== undefined ? { column: this.column } : {}) }
  }
}

/** Whether an error ends the run as failed (or stopped) even if the script caught it. */
export function isFatal(code: ErrorCode): boolean {
  return FATAL.has(code)
}

/** Data form of any thrown value; unknown errors become SCRIPT_ERROR. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof WorkflowError) return error.toInfo()
  if (error instanceof Error) return { code: 'SCRIPT_ERROR', message: error.message }
  return { code: 'SCRIPT_ERROR', message: String(error) }
}

/** Any thrown value as a WorkflowError: a WorkflowError as it is, anything else as a PROVIDER error carrying it. */
export function asWorkflowError(error: unknown): WorkflowError {
  if (error instanceof WorkflowError) return error
  return new WorkflowError('PROVIDER', error instanceof Error ? error.message : String(error), { cause: error })
}
