/**
 * The loader inserts a little text into a script (the async wrapper on the meta line, a
 * marker around each `throw` argument); lines never move, but columns after an insertion
 * on its line do. This turns positions QuickJS reports back into the user's own.
 */

/** Text the loader inserted, at a 1-based line and column of the user's source. */
export interface Insertion {
  line: number
  column: number
  length: number
}

export interface ScriptPositions {
  /** Sorted by line, then column. */
  insertions: Insertion[]
  /** The insertion that opens the top-level wrapper function. */
  wrapper: Insertion
  /**
   * Loops, keyed by the position QuickJS gives their function (in rewritten columns), or
   * 'top'. QuickJS reports a function's own start when it interrupts a tight loop in it, so
   * this is how a CPU-limit error finds the loop that spun.
   */
  loops: Record<string, Array<{ line: number; column: number }>>
}

/** The user's column for a column QuickJS reported on `line`. */
export function originalColumn(positions: ScriptPositions, line: number, column: number): number {
  let shift = 0
  for (const insertion of positions.insertions) {
    if (insertion.line !== line) continue
    const start = insertion.column + shift
    if (column < start) break
    if (column < start + insertion.length) return insertion.column
    shift += insertion.length
  }
  return column - shift
}

/** The column QuickJS uses for the user's `column` on `line`. */
export function rewrittenColumn(insertions: Insertion[], line: number, column: number): number {
  let shift = 0
  for (const insertion of insertions) if (insertion.line === line && insertion.column <= column) shift += insertion.length
  return column + shift
}

/** Where a loop that an interrupt stopped probably is, from the stale position reported. */
export function loopAt(positions: ScriptPositions, line: number, column: number): { line: number; column: number } | undefined {
  const { wrapper } = positions
  const inWrapper = line === wrapper.line && column >= wrapper.column && column < wrapper.column + wrapper.length
  return positions.loops[inWrapper ? 'top' : `${line}:${column}`]?.[0]
}
