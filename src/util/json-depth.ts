/**
 * The one nesting rule for JSON values from outside the runner: agent answers, `--args` and
 * the `args` input, journal lines, and everything the sandbox sends. JSON.parse is iterative
 * in V8, but JSON.stringify, ajv, canonical JSON and QuickJS's JSON.parse recurse, and a few
 * thousand levels overflow the stack. A value is measured here, without recursion, before
 * any of them touches it. 256 levels is far beyond any real answer or argument, and well
 * within what the sandbox's stack can parse.
 */
export const MAX_JSON_DEPTH = 256

/** The tail of the error for input nested too deeply ("--args nests more than ..."). */
export const NESTS_TOO_DEEP = `nests more than ${MAX_JSON_DEPTH} levels deep, the most the runner reads; flatten it`

/**
 * Whether a parsed JSON value nests deeper than `max` levels (checked without recursion).
 * A record that wraps such a value (a journal entry around its result) passes `max + 1`.
 */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    if (depth >= max) return true
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return false
}
