import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scaled } from './time-scale.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const CLI = path.join(ROOT, 'dist/cli.js')

/** A temporary project directory with the given files; removed by `cleanup()`. */
export function tempProject(files: Record<string, string> = {}): { dir: string; write(name: string, text: string): void; read(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-test-'))
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  for (const [name, text] of Object.entries(files)) write(name, text)
  return { dir, write, read: (name) => fs.readFileSync(path.join(dir, name), 'utf8'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON when it is one JSON value. */
  json?: any
}

/** The environment a CI job would give: no TTY, CI=true, no agent credentials. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', NO_COLOR: '1' }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

/** Runs `dwf <args>` in `cwd` as a child process and waits for it. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  const child = startCli(args, options)
  return finish(child, options.timeoutMs ?? 60_000)
}

/** Starts `dwf <args>` without waiting (for kill and signal tests). */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): ChildProcess & { output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & {
    output: { stdout: string; stderr: string }
  }
  child.output = { stdout: '', stderr: '' }
  child.stdout!.on('data', (d) => (child.output.stdout += d))
  child.stderr!.on('data', (d) => (child.output.stderr += d))
  return child
}

/** Waits for a started CLI process; `timeoutMs` (scaled by TEST_TIME_SCALE) only catches a hung one. */
export function finish(child: ReturnType<typeof startCli>, timeoutMs = 60_000): Promise<CliResult> {
  const limitMs = scaled(timeoutMs)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`dwf did not finish within ${limitMs}ms\nstdout: ${child.output.stdout}\nstderr: ${child.output.stderr}`))
    }, limitMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const { stdout, stderr } = child.output
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({ code, signal, stdout, stderr, json })
    })
  })
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs` (scaled by TEST_TIME_SCALE). */
export async function waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + scaled(timeoutMs)
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Journal entries of a workflow in a state directory. */
export function journalLines(stateDir: string, name: string): string[] {
  const file = path.join(stateDir, 'journal', `${name}.jsonl`)
  if (!fs.existsSync(file)) return []
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
}

/** Every file under a directory, as text, for leak checks. */
export function readTree(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = []
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) out.push({ file: full, text: fs.readFileSync(full, 'latin1') })
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return out
}
