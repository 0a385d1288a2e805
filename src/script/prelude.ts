/**
 * The host side of the guest prelude (prelude.guest.js, JavaScript that runs only inside the
 * QuickJS realm and defines the script API there): evaluating it and calling it with what the
 * host shares with it.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import { FATAL_CODES } from '../core/errors.js'
import { MAIN_HOOK, THROW_HOOK } from './load.js'
import preludeText from './prelude.guest.js'

/** The file name the prelude's stack frames show. */
const PRELUDE_FILE = '<dwf-prelude>'

/** The prelude function's last argument: what the host and the guest must agree on, as JSON. */
function preludeSharedJson(): string {
  return JSON.stringify({ fatalCodes: FATAL_CODES, mainHook: MAIN_HOOK, throwHook: THROW_HOOK })
}

/**
 * Evaluates the prelude in the realm and calls it with the host functions, the script's args
 * and file name: the script API is then in place. Its result is the prelude's deliver
 * function, or what it threw (it parses and freezes `args`, which can exhaust the memory).
 */
export function startPrelude(ctx: QuickJSContext, hostObject: QuickJSHandle, args: unknown, scriptFile: string): ReturnType<QuickJSContext['callFunction']> {
  const prelude = ctx.unwrapResult(ctx.evalCode(preludeText, PRELUDE_FILE))
  const argsJson = ctx.newString(JSON.stringify(args ?? {}))
  const file = ctx.newString(scriptFile)
  const shared = ctx.newString(preludeSharedJson())
  const started = ctx.callFunction(prelude, ctx.undefined, hostObject, argsJson, file, shared)
  for (const handle of [prelude, argsJson, file, shared]) handle.dispose()
  return started
}
