import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../cli.js'
import { scaled } from '../time-scale.js'

/**
 * Runs this repository's action.yml the way the Actions runner does: INPUT_* from the
 * inputs with action.yml's defaults, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY
 * files, `main` then `post` (post-if: always()) with STATE_* from main's state file, and
 * the runner's cancellation sequence (SIGINT, then SIGTERM, then SIGKILL: see ESCALATION).
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
  /** The signals the runner sent, in order (a test asserts the order of events, not timings). */
  sent: NodeJS.Signals[]
}

/** What the cancellation predicates see of the main step while it runs. */
export type MainProgress = Pick<StepResult, 'stdout' | 'sent'>

/**
 * GitHub's runner sends SIGTERM 7.5 s after the SIGINT of a cancel and SIGKILL 2.5 s after
 * that. A test machine may be many times slower than a hosted runner (two CI runs at once on
 * two cores), so the runner here waits four times those gaps (× TEST_TIME_SCALE): a main step
 * that stops cleanly within the gaps on a runner is never cut short here because the machine is
 * busy. The gaps cost nothing when main stops by itself. A test that wants the escalation at a
 * point of main's work names the event (escalateWhen) instead of shortening the gaps.
 */
export const ESCALATION = { sigtermAfterMs: scaled(4 * 7500), sigkillAfterMs: scaled(4 * 2500) }

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
  /** Cancel main (SIGINT, then the runner's escalation) once this holds, polled every 20 ms. */
  cancelWhen?: (job: JobDirs, main: MainProgress) => boolean
  /**
   * After the SIGINT, send SIGTERM once this holds and SIGKILL at the next poll (a step timeout
   * that strikes at an event of main's work); without it, the ESCALATION schedule.
   */
  escalateWhen?: (job: JobDirs, main: MainProgress) => boolean
  /** Kill main with SIGKILL at once instead (a crashed runner process). */
  killWhen?: (job: JobDirs) => boolean
  /** Called with main's output so far each time it grows (a test lifts a hold when main says something). */
  onMainOutput?: (stdout: string) => void
  /** Called once main has ended, before post starts (a test lifts a fault meant for main only). */
  beforePost?: (main: StepResult) => void
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
  options.beforePost?.(main)
  const state = readCommandFile(files.state)
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  // post-if: always() — post runs whatever became of main.
  const post = await step(path.join(ROOT, action.runs.post), dirs, { ...base, ...stateEnv }, {})
  return { main, post, outputs: readCommandFile(files.output), state, summary: fs.readFileSync(files.summary, 'utf8') }
}

type StepWatch = Pick<RunActionOptions, 'cancelWhen' | 'escalateWhen' | 'killWhen' | 'onMainOutput'>

function step(script: string, dirs: JobDirs, env: Record<string, string>, watch: StepWatch): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: dirs.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const progress: MainProgress = { stdout: '', sent: [] }
    let stderr = ''
    child.stdout.on('data', (d) => {
      progress.stdout += d
      watch.onMainOutput?.(progress.stdout)
    })
    child.stderr.on('data', (d) => (stderr += d))
    const send = (signal: NodeJS.Signals) => {
      progress.sent.push(signal)
      child.kill(signal)
    }
    const cancellation = new Cancellation(dirs, progress, watch, send)
    const poll = setInterval(() => cancellation.tick(), 20)
    const guard = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${path.basename(script)} did not finish\n${progress.stdout}\n${stderr}`))
    }, scaled(120_000))
    child.on('close', (code, signal) => {
      clearInterval(poll)
      clearTimeout(guard)
      cancellation.stop()
      resolve({ code, signal, stdout: progress.stdout, stderr, sent: progress.sent })
    })
  })
}

/** The runner's side of a cancel: SIGINT when the test says, then SIGTERM and SIGKILL. */
class Cancellation {
  private stage: 'running' | 'cancelled' | 'escalating' | 'done' = 'running'
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    private readonly dirs: JobDirs,
    private readonly progress: MainProgress,
    private readonly watch: StepWatch,
    private readonly send: (signal: NodeJS.Signals) => void,
  ) {}

  tick(): void {
    const { dirs, progress, watch } = this
    if (this.stage === 'running' && watch.killWhen?.(dirs)) {
      this.stage = 'done'
      this.send('SIGKILL')
    } else if (this.stage === 'running' && watch.cancelWhen?.(dirs, progress)) {
      this.stage = 'cancelled'
      this.send('SIGINT')
      if (!watch.escalateWhen) this.escalateOnSchedule()
    } else if (this.stage === 'cancelled' && watch.escalateWhen?.(dirs, progress)) {
      this.stage = 'escalating'
      this.send('SIGTERM')
    } else if (this.stage === 'escalating') {
      this.stage = 'done'
      this.send('SIGKILL')
    }
  }

  stop(): void {
    this.stage = 'done'
    this.timers.forEach(clearTimeout)
  }

  private escalateOnSchedule(): void {
    this.timers.push(setTimeout(() => this.send('SIGTERM'), ESCALATION.sigtermAfterMs))
    this.timers.push(setTimeout(() => this.send('SIGKILL'), ESCALATION.sigtermAfterMs + ESCALATION.sigkillAfterMs))
  }
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
