/**
 * The lines of a pull request a review comment may be on: GitHub refuses (422) a comment on a
 * line that is not in the diff. From each file's `patch` (its unified hunks, as
 * `GET /pulls/{n}/files` gives them): on the RIGHT side the added and context lines (new line
 * numbers), on the LEFT side the removed and context lines (old line numbers).
 */
export interface CommentableLines {
  right: Set<number>
  left: Set<number>
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/

export function commentableLines(patch: string | undefined): CommentableLines {
  const lines: CommentableLines = { right: new Set(), left: new Set() }
  let oldLine = 0
  let newLine = 0
  for (const line of (patch ?? '').split('\n')) {
    const hunk = HUNK.exec(line)
    if (hunk) {
      oldLine = Number(hunk[1])
      newLine = Number(hunk[2])
    } else if (line.startsWith('+')) lines.right.add(newLine++)
    else if (line.startsWith('-')) lines.left.add(oldLine++)
    else if (line.startsWith(' ')) {
      lines.right.add(newLine++)
      lines.left.add(oldLine++)
    }
    // "\ No newline at end of file" and anything else: no line of its own
  }
  return lines
}

/** Whether a comment (and its whole range, with startLine) is on lines of the diff. */
export function inDiff(files: Map<string, CommentableLines>, comment: { path: string; line: number; startLine?: number; side?: 'LEFT' | 'RIGHT' }): boolean {
  const lines = files.get(comment.path)
  if (!lines) return false
  const side = comment.side === 'LEFT' ? lines.left : lines.right
  for (let line = comment.startLine ?? comment.line; line <= comment.line; line++) if (!side.has(line)) return false
  return true
}
