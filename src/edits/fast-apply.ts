/**
 * The fast way to land a patch: in this process, without git, when the working folder holds
 * exactly what the patch was made from. Every file's content is checked against the blob id
 * the patch names (git's own hash of it), and the result against the new id, so a fast
 * landing writes exactly the bytes `git apply` would. Anything else (a file that moved on, a
 * link, a binary delta) returns undefined and the patch lands the slow way (merge.ts).
 * Patches are read as latin1 text (see patchText), so every byte of a file keeps its value.
 */
import { inflateSync } from 'node:zlib'
import { readWorkingFile } from './working-file.js'
import type { LandingStep } from './merge.js'
import type { FilePatch, Hunk } from './patch-parse.js'
import { blobId } from './blob-id.js'

const FILE_MODES = new Set(['100644', '100755'])

/** The steps that land `files` on `root`, or undefined when the fast way cannot be sure. */
export function planFast(root: string, files: FilePatch[]): LandingStep[] | undefined {
  const steps: LandingStep[] = []
  for (const file of files) {
    const planned = planFile(root, file)
    if (!planned) return undefined
    steps.push(...planned)
  }
  return steps
}

function planFile(root: string, file: FilePatch): LandingStep[] | undefined {
  if ((file.oldMode && !FILE_MODES.has(file.oldMode)) || (file.newMode && !FILE_MODES.has(file.newMode))) return undefined
  let before: Buffer | undefined
  if (file.oldPath !== undefined) {
    const found = readPlain(root, file.oldPath)
    if (!found || (file.oldId !== undefined && blobId(found.content) !== file.oldId) || (file.oldMode && found.mode !== file.oldMode)) return undefined
    before = found.content
  } else if (file.newPath === undefined || readPlain(root, file.newPath) !== null) return undefined // a new file must not be there yet
  const steps: LandingStep[] = []
  if (file.oldPath !== undefined && file.oldPath !== file.newPath) steps.push({ path: file.oldPath })
  if (file.newPath === undefined) return steps
  const after = file.literal ? inflate(file.literal) : applyHunks(before ?? Buffer.alloc(0), file.hunks)
  if (!after || (file.newId !== undefined && blobId(after) !== file.newId)) return undefined
  const mode = file.newMode ?? file.oldMode ?? '100644'
  steps.push({ path: file.newPath, write: { mode, content: after, blob: file.newId ?? blobId(after) } })
  return steps
}

/** The file's bytes and mode; null when it is not there; undefined when it is anything but a plain file (the slow way decides). */
function readPlain(root: string, relative: string): { content: Buffer; mode: string } | null | undefined {
  try {
    return readWorkingFile(root, relative)
  } catch {
    return undefined
  }
}

function inflate(literal: Buffer): Buffer | undefined {
  try {
    return inflateSync(literal)
  } catch {
    return undefined
  }
}

/**
 * Applies hunks to content whose lines are exactly the patch's old lines; undefined when a
 * line differs. Works on bytes: the patch and the content are both read as latin1, which keeps
 * every byte as one character, so any encoding lands unchanged.
 */
export function applyHunks(content: Buffer, hunks: Hunk[]): Buffer | undefined {
  const lines = splitLines(content.toString('latin1'))
  const out: string[] = []
  let next = 0 // index of the next old line not yet copied
  for (const hunk of hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1
    if (start < next || start > lines.length) return undefined
    for (let k = next; k < start; k++) out.push(lines[k]!)
    next = start
    for (const line of hunk.lines) {
      const text = line.noNewline ? line.text : line.text + '\n'
      if (line.kind === '+') out.push(text)
      else if (lines[next] !== text) return undefined
      else {
        if (line.kind === ' ') out.push(text)
        next++
      }
    }
  }
  for (let k = next; k < lines.length; k++) out.push(lines[k]!)
  return Buffer.from(out.join(''), 'latin1')
}

/** Lines with their "\n" (the last one may have none). */
function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n').map((line) => line + '\n')
  const last = lines.pop()!
  if (last !== '\n') lines.push(last.slice(0, -1))
  return lines
}
