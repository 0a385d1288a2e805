/**
 * Lands a planned change on the working folder so that a kill never leaves half of it: every
 * new file is first written next to its target under a temporary name, then the list of
 * renames and deletions is recorded durably (the intent), then carried out, then the intent
 * is removed. A run that finds an intent at its start carries it out first (roll forward), so
 * the folder holds either none or all of a call's changes whenever the runner is not running.
 *
 * The folder is the user's checkout, so paths are checked like the state folder's: no
 * component may be a link, and nothing lands in `.git/` or the state folder.
 *
 * What this guards against is a killed process (kill -9, a cancelled job): the written data is
 * in the system's cache then, so nothing is fsynced, as `git apply` fsyncs nothing. (The
 * journal is fsynced: it holds what was paid for; a landing can always be done again from it.)
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { WorkflowError } from '../core/errors.js'
import { checkFolders, lstatIfExists, openChecked } from '../util/no-follow-fs.js'
import { readTextIfExists } from '../util/no-follow-read.js'
import { removeFile, writeFileAtomically } from '../util/no-follow-write.js'
import type { LandingStep } from './merge.js'
import { blobId } from './blob-id.js'
import { readWorkingFile } from './working-file.js'

const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants

/**
 * The recorded plan, paths relative to the working folder: staged files renamed over their
 * targets, then deletions. It is written before staging (`ready: false`: a kill then means
 * remove what was staged) and again once everything is staged (`ready: true`: carry it out).
 */
interface Intent {
  ready: boolean
  renames: Array<[string, string]>
  deletes: string[]
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

const STAGED = /^(?:[^/]+\/)*\.[^/]+\.dwf-[0-9a-f]{12}\.tmp$/

/** Why a path may not be written by a landing (undefined when it may). */
export type PathGuard = (relative: string) => string | undefined

/** The guard every landing uses: a plain relative path, never into `.git/`. */
export function checkLandingPath(relative: string, hidden: PathGuard): void {
  const parts = relative.split('/')
  const bad =
    relative === '' || path.isAbsolute(relative) || relative.includes('\\')
      ? 'is not a relative path'
      : CONTROL.test(relative)
        ? 'contains a control character (a newline, an escape), which no file name of a change may hold'
      : parts.some((part) => part === '' || part === '.' || part === '..')
        ? 'is not a plain path inside the working folder'
        : parts.some((part) => part.toLowerCase() === '.git')
          ? 'is inside .git/'
          : hidden(relative)
  if (bad !== undefined) throw new WorkflowError('EDIT_FAILED', `a change to '${relative}' was refused: the path ${bad}`)
}

/**
 * Carries out `steps` in `root`, atomically as seen by the next run (see the file comment).
 * `onCommitted` runs once the landing can no longer be undone (its intent is ready), before
 * the first rename: what it records holds whether or not the process lives to the end.
 */
export function applyLanding(root: string, steps: LandingStep[], intentFile: string, intentRoot: string, hidden: PathGuard, onCommitted?: () => void): void {
  for (const step of steps) checkLandingPath(step.path, hidden)
  for (const step of steps) if (step.expect !== undefined) checkUnchanged(root, step.path, step.expect)
  const intent: Intent = {
    ready: false,
    renames: steps.filter((step) => step.write).map((step) => [stagedName(step.path), step.path]),
    deletes: steps.filter((step) => !step.write).map((step) => step.path),
  }
  writeFileAtomically(intentRoot, intentFile, JSON.stringify(intent))
  try {
    steps.filter((step) => step.write).forEach((step, i) => stage(root, intent.renames[i]![0], step.write!))
  } catch (error) {
    finishLanding(root, intentRoot, intentFile, hidden)
    throw error
  }
  writeFileAtomically(intentRoot, intentFile, JSON.stringify({ ...intent, ready: true }))
  onCommitted?.()
  finishLanding(root, intentRoot, intentFile, hidden)
}

function inside(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'))
}

/** Carries out a recorded intent, if there is one (also after a kill), then removes it. */
export function finishLanding(root: string, intentRoot: string, intentFile: string, hidden: PathGuard): void {
  const text = readTextIfExists(intentRoot, intentFile)
  if (text === undefined) return
  const intent = JSON.parse(text) as Intent
  for (const [staged, target] of intent.renames) {
    checkLandingPath(target, hidden)
    if (!STAGED.test(staged)) throw new WorkflowError('EDIT_FAILED', `a recorded landing names '${staged}', which the runner never stages`)
    const from = inside(root, staged)
    if (!intent.ready) {
      if (checkFolders(root, path.dirname(from)) && lstatIfExists(from)) fs.unlinkSync(from)
      continue
    }
    if (!lstatIfExists(from)) continue // renamed before the kill
    const to = inside(root, target)
    checkFolders(root, path.dirname(to))
    if (lstatIfExists(to)?.isDirectory()) fs.rmSync(to, { recursive: true, force: true })
    fs.renameSync(from, to)
  }
  for (const target of intent.ready ? intent.deletes : []) {
    checkLandingPath(target, hidden)
    removeWithEmptyFolders(root, inside(root, target))
  }
  removeFile(intentRoot, intentFile)
}

/** Refuses to overwrite a file that something other than the run changed (or made, or removed). */
function checkUnchanged(root: string, relative: string, expect: string | null): void {
  const found = readWorkingFile(root, relative)
  const now = found ? blobId(found.content) : null
  if (now !== expect)
    throw new WorkflowError('EDIT_FAILED', `'${relative}' was changed in the working directory during the run, by something other than the run; it was not overwritten (nothing of this change was applied)`)
}

/** Where the new content of `relative` is staged: beside it, under a name nobody else picks. */
function stagedName(relative: string): string {
  const slash = relative.lastIndexOf('/')
  return `${relative.slice(0, slash + 1)}.${relative.slice(slash + 1)}.dwf-${randomBytes(6).toString('hex')}.tmp`
}

/** Writes the new content at `stagedRelative` (never over anything: O_EXCL, no links followed). */
function stage(root: string, stagedRelative: string, write: NonNullable<LandingStep['write']>): void {
  const staged = inside(root, stagedRelative)
  checkFolders(root, path.dirname(staged), { create: true })
  if (write.mode === '120000') {
    fs.symlinkSync(write.content.toString('utf8'), staged)
    return
  }
  const fd = openChecked(staged, O_WRONLY | O_CREAT | O_EXCL)
  try {
    fs.writeSync(fd, write.content)
    fs.fchmodSync(fd, write.mode === '100755' ? 0o755 : 0o644)
  } finally {
    fs.closeSync(fd)
  }
}

/** Deletes a file or link (never a folder's contents) and the folders it leaves empty, up to `root`. */
function removeWithEmptyFolders(root: string, target: string): void {
  if (!checkFolders(root, path.dirname(target))) return
  const stats = lstatIfExists(target)
  if (stats && !stats.isDirectory()) fs.unlinkSync(target)
  for (let dir = path.dirname(target); dir !== root && dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir)
    } catch {
      break // not empty (or gone): stop climbing
    }
  }
}
