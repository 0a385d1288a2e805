import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StateDir } from '../runner/state-dir.js'
import { isPlainFile, UnsafePathError } from '../util/no-follow-fs.js'
import { type Log } from './log.js'

/**
 * Where the Action keeps its run state: outside the checkout, under RUNNER_TEMP (which the
 * runner empties for every job), so nothing a repository or a PR commits can stand in for
 * it, and the script cannot read it. Outside a runner, a fresh temporary folder.
 */
export function actionStateDir(env: NodeJS.ProcessEnv): string {
  const temp = env.RUNNER_TEMP || fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-runner-temp-'))
  return path.join(path.resolve(temp), 'dynamic-workflow')
}

const RUN_STATE_FILES = ['run.json', 'result.json', 'events.jsonl', 'log.txt', 'script.js', 'invocation.json', 'changes.patch'] as const

/**
 * The files of the run-state artifact: the journal and the run's files, only those that are
 * there as regular files the runner wrote. Anything else in their place (a link, a pipe) is
 * left out with a warning, so the artifact never carries a file from elsewhere.
 */
export function runFiles(state: StateDir, runId: string, journalFile: string, log: Log): string[] {
  return [journalFile, ...RUN_STATE_FILES.map((f) => state.runFile(runId, f))].filter((file) => isOwnFile(state, file, log, 'the run-state artifact'))
}

/** Whether `file` is a regular file of the state folder; a warning names it when something else is there. */
export function isOwnFile(state: StateDir, file: string, log: Log, leftOutOf: string): boolean {
  try {
    return isPlainFile(state.root, file)
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error
    log.warning(`${file} was left out of ${leftOutOf}: ${error.message}`)
    return false
  }
}
