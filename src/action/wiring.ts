import { DefaultArtifactClient } from '@actions/artifact'
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { safeLine, safeText } from '../report/safe-text.js'
import type { CacheClient } from './journal-cache.js'
import { runMain } from './main-impl.js'
import { runPost } from './post-impl.js'
import type { ActionState } from './state.js'
import type { MainDeps } from './main-impl.js'
import { createGitHubClient } from './github-client.js'
import { type ActionCore, type AnnotationProperties } from './core-port.js'

/**
 * @actions/core as the Action's core port. Messages can quote untrusted text (a script's
 * error, an agent's answer, a file of the checkout): core.info writes its text raw, so every
 * message goes through safeText, and annotation titles through safeLine. (core escapes the
 * data of ::error/::warning/::notice itself; safeText adds the control characters.)
 */
function actionCore(): ActionCore {
  const titled = (properties: AnnotationProperties | undefined) => (properties?.title === undefined ? properties : { ...properties, title: safeLine(properties.title) })
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    setFailed: (message) => core.setFailed(safeText(message)),
    info: (message) => core.info(safeText(message)),
    warning: (message, properties) => core.warning(safeText(message), titled(properties)),
    notice: (message) => core.notice(safeText(message)),
    error: (message, properties) => core.error(safeText(message), titled(properties)),
    async summary(markdown) {
      try {
        await core.summary.addRaw(markdown).write()
      } catch (error) {
        core.warning(safeText(`Could not write the job summary: ${(error as Error).message}`))
      }
    },
  }
}

const coreState: ActionState = { get: (name) => core.getState(name), set: (name, value) => core.saveState(name, value) }

function io(signal: AbortSignal): MainDeps['io'] {
  return { stderr: process.stderr, env: process.env, cwd: process.cwd(), signal }
}

function githubClient(token: string) {
  return createGitHubClient({ token, baseUrl: process.env.GITHUB_API_URL })
}

function cacheClient(): CacheClient | undefined {
  if (!cache.isFeatureAvailable()) return undefined
  return {
    restoreCache: (paths, primaryKey, restoreKeys, extractInto) => withWorkspace(extractInto, () => cache.restoreCache(paths, primaryKey, restoreKeys)),
    saveCache: (paths, key) => cache.saveCache(paths, key),
  }
}

/**
 * @actions/cache extracts an entry relative to GITHUB_WORKSPACE (read when it extracts):
 * pointing that at the quarantine for the call keeps a restored entry off the checkout.
 * Main restores before anything else runs, so nothing else reads the variable meanwhile.
 */
async function withWorkspace<T>(dir: string, call: () => Promise<T>): Promise<T> {
  const before = process.env.GITHUB_WORKSPACE
  process.env.GITHUB_WORKSPACE = dir
  try {
    return await call()
  } finally {
    if (before === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = before
  }
}

/** The main step; returns the exit code. `signal` stops the run (a cancelled job). */
export async function mainStep(signal: AbortSignal): Promise<number> {
  try {
    await runMain({ core: actionCore(), state: coreState, env: process.env, cache: cacheClient(), artifacts: new DefaultArtifactClient(), github: githubClient, io: io(signal) })
  } catch (error) {
    core.setFailed(safeText(`dynamic-workflow failed unexpectedly (please report it): ${(error as Error)?.stack ?? String(error)}`))
  }
  return Number(process.exitCode ?? 0)
}


/** The post step: never fails the job; returns the exit code. */
export async function postStep(): Promise<number> {
  try {
    const token = core.getInput('github-token')
    await runPost({ core: actionCore(), state: coreState, cache: cacheClient(), artifacts: new DefaultArtifactClient(), github: token ? () => githubClient(token) : undefined })
  } catch (error) {
    core.warning(safeText(`The post step could not save the run state: ${(error as Error)?.message ?? String(error)}`))
  }
  return 0
}
