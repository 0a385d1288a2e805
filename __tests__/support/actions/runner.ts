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
 */
export interface StepResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface ActionRun {
  main: StepResult
  post: StepResult
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  workspace: string
}

export interface RunActionOptions {
  inputs: Record<string, string>
  /** Files of the checked-out repository (a fresh workspace per attempt, as a runner gives). */
  files: Record<string, string>
  /** Emulator env (cache, artifact, API) and anything else. */
  env?: Record<string, string>
  runId?: string
  attempt?: number
  job?: string
  /** Cancel main (the runner's sequence) once this holds for the workspace, polled every 20 ms. */
  cancelWhen?: (workspace: string) => boolean
  /** Kill main with SIGKILL at once instead (a crashed runner process). */
  killWhen?: (workspace: string) => boolean
  /** Gaps of the cancellation sequence. */
  sigtermAfterMs?: number
  sigkillAfterMs?: number
  token?: string
}

interface InputSpec {
  default?: string
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-workspace-'))
  for (const [name, text] of Object.entries(options.files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    fs.writeFileSync(path.join(workspace, name), text)
  }
  const files = { output: path.join(workspace, '..', `${path.basename(workspace)}.output`), state: path.join(workspace, '..', `${path.basename(workspace)}.state`), summary: path.join(workspace, '..', `${path.basename(workspace)}.summary`) }
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
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: options.runId ?? '1000',
    GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
    GITHUB_JOB: options.job ?? 'review',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-runner-temp-')),
    ...options.env,
    ...inputEnv,
  }
  const main = await step(path.join(ROOT, action.runs.main), workspace, base, options)
  const state = readCommandFile(files.state)
  const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
  // post-if: always() — post runs whatever became of main.
  const post = await step(path.join(ROOT, action.runs.post), workspace, { ...base, ...stateEnv }, {})
  return { main, post, outputs: readCommandFile(files.output), state, summary: fs.readFileSync(files.summary, 'utf8'), workspace }
}

function step(script: string, cwd: string, env: Record<string, string>, options: Pick<RunActionOptions, 'cancelWhen' | 'killWhen' | 'sigtermAfterMs' | 'sigkillAfterMs'>): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timers: NodeJS.Timeout[] = []
    const poll = setInterval(() => {
      if (options.killWhen?.(cwd)) {
        clearInterval(poll)
        child.kill('SIGKILL')
      } else if (options.cancelWhen?.(cwd)) {
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
