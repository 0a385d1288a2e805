import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../cli.js'

/**
 * Runs this repository's action.yml the way the Actions runner does: INPUT_* from the
 * inputs with action.yml's defaults, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY
 * files, `main` then `post` (post-if: always()) with STATE_* from main's state file, and
 * the runner's cancellation sequence (SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that;
 * tests may shorten the gaps).
 *
 * Each call is a fresh job on a runner laid out as GitHub's are: GITHUB_WORKSPACE at
 * `<runner>/_work/widgets/widgets` and an empty RUNNER_TEMP at `<runner>/_work/_temp` (the
 * runner empties _temp between jobs). As on GitHub's runners, those paths are the same in
 * every job (the Action's cache path, which the cache version hashes, is an absolute path
 * under RUNNER_TEMP): the jobs of a test file run on one runner, one at a time. When a job
 * ends, its folders move to `<runner>/jobs/<n>/`, where the returned ActionRun points, so a
 * test can still read them after the next job ran.
 */
export interface StepResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** The folders of a job: the checkout, RUNNER_TEMP, and the Action's state folder under it. */
export interface JobDirs {
  workspace: string
  runnerTemp: string
  stateDir: string
}

export interface ActionRun extends JobDirs {
  main: StepResult
  post: StepResult
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** The folders as the job had them while it ran, the paths the Action saw (its cache path is under runnerDirs.runnerTemp). */
  runnerDirs: JobDirs
  /** Removes the job's folders (workspace, RUNNER_TEMP, command files). */
  cleanup(): void
}

export interface RunActionOptions {
  inputs: Record<string, string>
  /** Files of the checked-out repository (a fresh workspace per attempt, as a runner gives). */
  files: Record<string, string>
  /** Symbolic links committed to the repository: path in the workspace → target. */
  links?: Record<string, string>
  /** Emulator env (cache, artifact, API) and anything else. */
  env?: Record<string, string>
  runId?: string
  attempt?: number
  job?: string
  /** Cancel main (the runner's sequence) once this holds for the job, polled every 20 ms. */
  cancelWhen?: (job: JobDirs) => boolean
  /** Kill main with SIGKILL at once instead (a crashed runner process). */
  killWhen?: (job: JobDirs) => boolean
  /** Gaps of the cancellation sequence. */
  sigtermAfterMs?: number
  sigkillAfterMs?: number
  token?: string
}

interface InputSpec {
  default?: string
}

/** Runners free for a job: usually one, more only if a test runs jobs side by side. */
const idleRunners: string[] = []
let jobCount = 0

/** The folders of a job under `work` (a runner's `_work`, or an ended job's folder). */
function jobDirs(work: string): JobDirs {
  const runnerTemp = path.join(work, '_temp')
  return { workspace: path.join(work, 'widgets', 'widgets'), runnerTemp, stateDir: path.join(runnerTemp, 'dynamic-workflow') }
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const runner = idleRunners.pop() ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-runner-'))
  try {
    const work = path.join(runner, '_work')
    const ended = path.join(runner, 'jobs', String(++jobCount))
    // A fresh job: nothing of an earlier one (a job that threw) is left in _work.
    fs.rmSync(work, { recursive: true, force: true })
    const run = await runJob(jobDirs(work), options)
    fs.mkdirSync(path.dirname(ended), { recursive: true })
    fs.renameSync(work, ended)
    return { ...run, ...jobDirs(ended), runnerDirs: jobDirs(work), cleanup: () => fs.rmSync(ended, { recursive: true, force: true }) }
  } finally {
    idleRunners.push(runner)
  }
}

async function runJob(dirs: JobDirs, options: RunActionOptions): Promise<Omit<ActionRun, keyof JobDirs | 'runnerDirs' | 'cleanup'>> {
  const { workspace, runnerTemp } = dirs
  const commands = path.join(runnerTemp, '_runner_file_commands')
  fs.mkdirSync(workspace, { recursive: true })
  fs.mkdirSync(commands, { recursive: true })
  for (const [name, text] of Object.entries(options.files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    fs.writeFileSync(path.join(workspace, name), text)
  }
  for (const [name, target] of Object.entries(options.links ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    fs.symlinkSync(target, path.join(workspace, name))
  }
  const files = { output: path.join(commands, 'set_output'), state: path.join(commands, 'save_state'), summary: path.join(commands, 'step_summary') }
  for (const file of Object.values(files)) fs.writeFileSync(file, '')
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, InputSpec>; runs: { main: string; post: string } }
  const inputEnv: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = options.inputs[name] ?? (spec.default === '${{ github.token }}' ? (options.token ?? 'ghs_test_token') : (spec.default ?? ''))
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: workspace,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: options.runId ?? '1000',
    GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
    GITHUB_JOB: options.job ?? 'review',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    ...options.env,
    // The job's own folders, whatever an emulator's env helper suggested.
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    ...inputEnv,
  }
  const main = await step(path.join(ROOT, action.runs.main), dirs, base, options)
  const state = readCommandFile(files.state)
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  // post-if: always() — post runs whatever became of main.
  const post = await step(path.join(ROOT, action.runs.post), dirs, { ...base, ...stateEnv }, {})
  return { main, post, outputs: readCommandFile(files.output), state, summary: fs.readFileSync(files.summary, 'utf8') }
}

function step(script: string, dirs: JobDirs, env: Record<string, string>, options: Pick<RunActionOptions, 'cancelWhen' | 'killWhen' | 'sigtermAfterMs' | 'sigkillAfterMs'>): Promise<StepResult> {
  const cwd = dirs.workspace
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timers: NodeJS.Timeout[] = []
    const poll = setInterval(() => {
      if (options.killWhen?.(dirs)) {
        clearInterval(poll)
        child.kill('SIGKILL')
      } else if (options.cancelWhen?.(dirs)) {
        clearInterval(poll)
        child.kill('SIGINT')
        timers.push(setTimeout(() => child.kill('SIGTERM'), options.sigtermAfterMs ?? 7500))
        timers.push(setTimeout(() => child.kill('SIGKILL'), (options.sigtermAfterMs ?? 7500) + (options.sigkillAfterMs ?? 2500)))
      }
    }, 20)
    const guard = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${path.basename(script)} did not finish\n${stdout}\n${stderr}`))
    }, 120_000)
    child.on('close', (code, signal) => {
      clearInterval(poll)
      clearTimeout(guard)
      timers.forEach(clearTimeout)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** Reads a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIM` blocks and `name=value` lines. */
export function readCommandFile(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const value: string[] = []
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]!)
      out[heredoc[1]!] = value.join('\n')
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
  }
  return out
}
