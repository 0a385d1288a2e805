/**
 * The host side of the guest prelude (prelude.guest.js, JavaScript that runs only inside the
 * QuickJS realm): its text, the file name it is evaluated under, and the values the host
 * shares with it.
 */
import { FATAL_CODES } from '../core/errors.js'
import { MAIN_HOOK, THROW_HOOK } from './load.js'
import preludeText from './prelude.guest.js'

export const PRELUDE_FILE = '<dwf-prelude>'

export const PRELUDE_SOURCE: string = preludeText

/** The prelude function's last argument: what the host and the guest must agree on, as JSON. */
export function preludeSharedJson(): string {
  return JSON.stringify({ fatalCodes: FATAL_CODES, mainHook: MAIN_HOOK, throwHook: THROW_HOOK })
}
