import { NESTS_TOO_DEEP, tooDeep } from '../util/json-depth.js'
import { FileTooLargeError, readTextFileAtMost } from '../util/bounded-read.js'
import { formatBytes } from '../util/bytes.js'
import { BadInputError } from './bad-input.js'

/**
 * What a run reads from files before it starts, and how much of each. These files come
 * with the checkout, so a size is refused by name before it is read: a usage error, exit 2.
 */

/** Largest workflow script (a script is code, not data: read data with readFile()). */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024

/** Largest `--args @file`. */
export const MAX_ARGS_FILE_BYTES = 4 * 1024 * 1024

/** Largest config file (dynamic-workflow.json or --config). */
export const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * The text of a file a run needs, or a usage error: one naming the file (as `shown`), its
 * size and the limit when it is too large, else `unreadable` (missing, a folder, a FIFO...).
 */
export function readInputFile(file: string, shown: string, maxBytes: number, unreadable: string): string {
  try {
    return readTextFileAtMost(file, maxBytes)
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new BadInputError(`${shown} is ${formatBytes(error.bytes)}, more than the ${formatBytes(maxBytes)} allowed`)
    throw new BadInputError(unreadable)
  }
}

/** A usage error when parsed JSON from `shown` nests too deeply for the runner. */
export function checkDepth(value: unknown, shown: string): void {
  if (tooDeep(value)) throw new BadInputError(`${shown} ${NESTS_TOO_DEEP}`)
}

/** JSON text from `shown` (a flag, a file), parsed and checked for depth, or one clear error naming it. */
export function parseJsonInput(text: string, shown: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new BadInputError(`${shown} is not valid JSON: ${(error as Error).message}`)
  }
  checkDepth(value, shown)
  return value
}
