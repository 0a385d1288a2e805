import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import { toErrorInfo, type ErrorInfo } from '../core/errors.js'
import type { ScriptHost } from '../core/ports.js'
import { MAX_JSON_DEPTH, tooDeep } from '../util/json-depth.js'
import { siteOf } from './guest-errors.js'
import { readSyncMessage, type AgentRequestMessage, type Reply } from './guest-messages.js'

/** What the host does with each raw call from the prelude; each takes the guest's JSON text. */
export interface HostFunctionHandlers {
  /** log, phase, readFile, glob, writeFile, applyPatch, effect, budget: answers at once, in JSON. */
  sync(text: string): string
  /** A batch of `[id, request]` agent calls: answered later, through the prelude's deliver function. */
  agents(text: string): void
  /** The script's final reply. */
  done(text: string): void
}

/**
 * The object of raw host functions the prelude receives. They take and return JSON text
 * only, so no host object, function or Proxy ever crosses into the guest.
 */
export function createHostObject(ctx: QuickJSContext, handlers: HostFunctionHandlers): QuickJSHandle {
  const object = ctx.newObject()
  const syncFn = ctx.newFunction('sync', (handle) => ctx.newString(handlers.sync(ctx.getString(handle))))
  const asyncFn = ctx.newFunction('async', (handle) => handlers.agents(ctx.getString(handle)))
  const doneFn = ctx.newFunction('done', (handle) => handlers.done(ctx.getString(handle)))
  ctx.setProp(object, 'sync', syncFn)
  ctx.setProp(object, 'async', asyncFn)
  ctx.setProp(object, 'done', doneFn)
  for (const fn of [syncFn, asyncFn, doneFn]) fn.dispose()
  return object
}

/** Answers one synchronous request; a failure is an error reply, never a throw inside the guest's call. */
export function answerSyncRequest(host: ScriptHost, text: string): string {
  try {
    const { op, args, line } = readSyncMessage(text)
    const at = line ?? undefined
    const value =
      op === 'log'
        ? host.log(String(args[0]), at)
        : op === 'phase'
          ? host.phase(args[0], args[1] ?? undefined, at)
          : op === 'readFile'
            ? host.readFile(args[0], at)
            : op === 'glob'
              ? host.glob(args[0], at)
              : op === 'writeFile'
                ? host.writeFile(args[0], args[1], at)
                : op === 'applyPatch'
                  ? host.applyPatch(args[0], at)
                  : op === 'effect'
                    ? host.effect(args, at)
                    : host.budget()
    return JSON.stringify({ ok: true, value: value ?? null })
  } catch (error) {
    return JSON.stringify({ ok: false, error: toErrorInfo(error) })
  }
}

/** Hands a batch of agent() calls to the host; each answer goes to `deliver`, in whatever order they settle. */
export function askAgents(
  batch: Array<[number, AgentRequestMessage]>,
  host: ScriptHost,
  scriptFile: string,
  deliver: (id: number, reply: Reply) => void,
): void {
  for (const [id, { prompt, options, stack }] of batch) {
    const line = siteOf(stack, scriptFile).line
    // Refused here, so no host code walks a structure built to exhaust its stack.
    if (tooDeep(options)) {
      deliver(id, { ok: false, error: { code: 'INVALID_CALL', message: `agent(): the options nest more than ${MAX_JSON_DEPTH} levels deep`, ...(line ? { line } : {}) } })
      continue
    }
    host.agent({ prompt, options, line }).then(
      (value) => deliver(id, { ok: true, value }),
      (error: unknown) => deliver(id, { ok: false, error: withLine(toErrorInfo(error), line) }),
    )
  }
}

function withLine(info: ErrorInfo, line: number | undefined): ErrorInfo {
  return info.line === undefined && line !== undefined ? { ...info, line } : info
}
