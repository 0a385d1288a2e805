// Where a review comment may land in a pull request file's patch, by GitHub's rules: a line on
// the RIGHT side must be an added or context line of one of the file's hunks, a LEFT line a
// removed or context line; a multi-line comment's start must be in the same hunk, before the
// end. The deprecated `position` counts patch lines after the first @@ header (later headers
// included). A comment's `diff_hunk` is its hunk from the header down to the commented line.

export type DiffSide = 'LEFT' | 'RIGHT'

interface DiffLine {
  /** Index in the patch's lines (the first @@ header is 0): GitHub's `position`. */
  position: number
  hunk: number
  left?: number
  right?: number
}

export interface ParsedPatch {
  lines: string[]
  diffLines: DiffLine[]
  /** The position of each hunk's @@ header. */
  hunkStarts: number[]
}

export function parsePatch(patch: string): ParsedPatch {
  const lines = patch.split('\n')
  const diffLines: DiffLine[] = []
  const hunkStarts: number[] = []
  let left = 0
  let right = 0
  lines.forEach((text, position) => {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      left = Number(header[1])
      right = Number(header[2])
      hunkStarts.push(position)
      return
    }
    const hunk = hunkStarts.length - 1
    if (hunk < 0 || text.startsWith('\\')) return
    if (text.startsWith('+')) diffLines.push({ position, hunk, right: right++ })
    else if (text.startsWith('-')) diffLines.push({ position, hunk, left: left++ })
    else diffLines.push({ position, hunk, left: left++, right: right++ })
  })
  return { lines, diffLines, hunkStarts }
}

/** Where a review comment lands: its position, its side's line, and its diff_hunk. */
export interface ResolvedComment {
  position: number
  line: number | null
  side: DiffSide
  startLine: number | null
  startSide: DiffSide | null
  diffHunk: string
}

export interface CommentPlacement {
  line?: number
  side?: DiffSide
  start_line?: number
  start_side?: DiffSide
  position?: number
}

const lineOn = (parsed: ParsedPatch, side: DiffSide, line: number) => parsed.diffLines.find((d) => (side === 'RIGHT' ? d.right : d.left) === line)

/**
 * The placement of a comment in a patch, or GitHub's reasons it cannot be placed (sentences
 * such as "Pull request review thread line must be part of the diff").
 */
export function resolveComment(patch: string | undefined, placement: CommentPlacement): ResolvedComment | { errors: string[] } {
  if (patch === undefined) return { errors: ['Pull request review thread path is invalid', "Pull request review thread diff hunk can't be blank"] }
  const parsed = parsePatch(patch)
  let side = placement.side ?? 'RIGHT'
  let end: DiffLine | undefined
  if (placement.line === undefined && placement.position !== undefined) {
    end = parsed.diffLines.find((d) => d.position === placement.position)
    if (!end) return { errors: ['Pull request review thread position is invalid', "Pull request review thread diff hunk can't be blank"] }
    side = end.right === undefined ? 'LEFT' : 'RIGHT'
  } else {
    end = typeof placement.line === 'number' ? lineOn(parsed, side, placement.line) : undefined
    if (!end) return { errors: ['Pull request review thread line must be part of the diff', "Pull request review thread diff hunk can't be blank"] }
  }
  let startLine: number | null = null
  let startSide: DiffSide | null = null
  if (placement.start_line !== undefined) {
    startSide = placement.start_side ?? side
    const start = lineOn(parsed, startSide, placement.start_line)
    const errors: string[] = []
    if (!start) errors.push('Pull request review thread start line must be part of the diff')
    else if (start.hunk !== end.hunk) errors.push('Pull request review thread start line must be part of the same hunk as the line.')
    else if (start.position >= end.position) errors.push('Pull request review thread start line must precede the end line.')
    if (errors.length) return { errors }
    startLine = placement.start_line
  }
  const diffHunk = parsed.lines.slice(parsed.hunkStarts[end.hunk], end.position + 1).join('\n')
  const line = placement.line ?? (side === 'RIGHT' ? end.right : end.left) ?? null
  return { position: end.position, line, side, startLine, startSide, diffHunk }
}

/** Ruby's Array#to_sentence, as GitHub joins its validation messages. */
export function toSentence(parts: string[]): string {
  if (parts.length <= 1) return parts.join('')
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`
}
