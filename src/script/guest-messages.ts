import { isErrorCode, WorkflowError, type ErrorInfo } from '../core/errors.js'
import { MAX_RESULT_BYTES } from '../core/limits.js'
import { formatBytes } from '../util/bytes.js'
import { MAX_JSON_DEPTH, tooDeep } from '../util/json-depth.js'
import { isRecord } from '../util/objects.js'

/**
 * Reads what the guest sends. The realm runs user code, which can replace the built-ins the
 * prelude uses, so every message is checked here: a malformed one fails the run cleanly and
 * never throws inside the host.
 */

/** An agent() call as the guest sends it: `stack` is the raw stack at the call. */
export type AgentRequestMessage = { prompt: unknown; options?: unknown; stack?: string }
export type SyncMessage = { op: 'log' | 'phase' | 'readFile' | 'glob' | 'writeFile' | 'applyPatch' | 'effect' | 'budget'; args: unknown[]; line?: number }
export type Reply = { ok: true; value: unknown } | { ok: false; error: ErrorInfo }

const SYNC_OPS = new Set(['log', 'phase', 'readFile', 'glob', 'writeFile', 'applyPatch', 'effect', 'budget'])
const TAMPERED = 'the sandbox sent a malformed message (did the script replace a built-in such as JSON.stringify?)'

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new WorkflowError('SCRIPT_ERROR', TAMPERED)
  }
}

/** A batch of `[id, request]` pairs from agent() calls. */
export function readAgentBatch(text: string): Array<[number, AgentRequestMessage]> {
  const batch = parse(text)
  if (!Array.isArray(batch)) throw new WorkflowError('SCRIPT_ERROR', TAMPERED)
  for (const item of batch) {
    if (!Array.isArray(item) || item.length !== 2 || !Number.isSafeInteger(item[0]) || !isRecord(item[1]) || !isStack(item[1].stack))
      throw new WorkflowError('SCRIPT_ERROR', TAMPERED)
  }
  return batch as Array<[number, AgentRequestMessage]>
}

/** One synchronous request (log, phase, readFile, glob, writeFile, applyPatch, effect, budget). */
export function readSyncMessage(text: string): SyncMessage {
  const message = parse(text)
  if (!isRecord(message) || !SYNC_OPS.has(message.op as string) || !Array.isArray(message.args) || !isLine(message.line))
    throw new WorkflowError('SCRIPT_ERROR', TAMPERED)
  if (tooDeep(message)) throw new WorkflowError('INVALID_CALL', `${message.op as string}(): the arguments nest more than ${MAX_JSON_DEPTH} levels deep`, { line: (message.line as number | null) ?? undefined })
  return message as SyncMessage
}

/** The script's final reply: its result, or the error it ended with. */
export function readFinalReply(text: string): Reply {
  // An error's message is clipped below; a result is kept whole, so it must fit the cap.
  const bytes = text.startsWith('{"ok":false') ? 0 : Buffer.byteLength(text)
  if (bytes > MAX_RESULT_BYTES)
    throw new WorkflowError(
      'NOT_SERIALIZABLE',
      `the workflow returned ${formatBytes(bytes)} of JSON, more than the ${formatBytes(MAX_RESULT_BYTES)} a result may hold (it is written to the run's files, the terminal and the Action's outputs); return a summary, and leave the details in the agents' answers, which are journaled`,
    )
  const reply = parse(text)
  if (!isRecord(reply) || typeof reply.ok !== 'boolean') throw new WorkflowError('SCRIPT_ERROR', TAMPERED)
  if (reply.ok) {
    if (tooDeep(reply.value)) throw new WorkflowError('NOT_SERIALIZABLE', `the workflow returned a value nested more than ${MAX_JSON_DEPTH} levels deep`)
    return { ok: true, value: reply.value }
  }
  const error = isRecord(reply.error) ? reply.error : {}
  return {
    ok: false,
    error: {
      // The prelude only reports the runtime's own codes; the realm is not trusted to, so check.
      code: isErrorCode(error.code) ? error.code : 'SCRIPT_ERROR',
      message: typeof error.message === 'string' ? error.message.slice(0, 10_000) : 'the script failed',
      ...(isLine(error.line) && error.line !== undefined ? { line: error.line as number } : {}),
      ...(isLine(error.column) && error.column !== undefined ? { column: error.column as number } : {}),
    },
  }
}

function isStack(value: unknown): boolean {
  return value === undefined || typeof value === 'string'
}

function isLine(value: unknown): boolean {
  return value === undefined || value === null || (Number.isSafeInteger(value) && (value as number) > 0)
}
