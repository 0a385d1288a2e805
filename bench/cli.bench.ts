/**
 * The CLI as a user meets it, each as a ratio to a bare `node` process measured in the same run:
 *  - cold start: median wall time of `dwf --version` and of `dwf validate <example>`;
 *  - peak RSS of a 10,000-agent mock run (all live), then of the same run fully replayed.
 * Runs dist/cli.js, so it measures the bundle that ships.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { BenchRow } from './engine.bench.js'

const CLI = path.resolve('dist/cli.js')
const EXAMPLE = path.resolve('workflows-examples/pr-review.workflow.js')
const RUNS = 15
const AGENTS = 10_000
const TIME = '/usr/bin/time'

function timeNode(args: string[]): number {
  const start = performance.now()
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const ms = performance.now() - start
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`)
  return ms
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** Interleaved, so drift in machine load hits every command alike. One warm-up each (disk cache). */
function coldStarts(commands: Record<string, string[]>): Record<string, number> {
  const times: Record<string, number[]> = {}
  for (const args of Object.values(commands)) timeNode(args)
  for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(commands)) (times[name] ??= []).push(timeNode(args))
  return Object.fromEntries(Object.entries(times).map(([name, ms]) => [name, median(ms)]))
}

/**
 * Peak RSS (MB) of `node <args>` and its stdout: GNU time's maximum resident set size when
 * /usr/bin/time exists, else the kernel's high-water mark (VmHWM) polled until exit.
 */
async function peakRss(args: string[], cwd: string): Promise<{ mb: number; stdout: string }> {
  const timed = fs.existsSync(TIME)
  const report = path.join(cwd, 'time.txt')
  const [command, argv] = timed ? [TIME, ['-v', '-o', report, process.execPath, ...args]] : [process.execPath, args]
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  let hwmKb = 0
  const poll = timed
    ? undefined
    : setInterval(() => {
        try {
          const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
          hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
        } catch {
          // The process is gone between two samples; the last sample stands.
        }
      }, 5)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(poll)
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`)
  if (timed) hwmKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(fs.readFileSync(report, 'utf8'))?.[1])
  if (!hwmKb) throw new Error(`no peak RSS measured for node ${args.join(' ')}`)
  return { mb: hwmKb / 1024, stdout }
}

function fanout(n: number): string {
  return `export const meta = { name: 'rss' }\nconst out = await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('Bench item ' + i)))\nreturn out.length\n`
}

export async function cliBenchmarks(): Promise<BenchRow[]> {
  const starts = coldStarts({ bare: ['-e', ''], version: [CLI, '--version'], validate: [CLI, 'validate', EXAMPLE] })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cli-bench-'))
  try {
    fs.writeFileSync(path.join(dir, 'rss.workflow.js'), fanout(AGENTS))
    // Without /usr/bin/time the poller needs the bare process to live a few samples long.
    const bare = await peakRss(fs.existsSync(TIME) ? ['-e', ''] : ['-e', 'setTimeout(() => {}, 100)'], dir)
    const run = [CLI, 'run', 'rss.workflow.js', '--agent', 'mock', '--json', '--concurrency', '64', '--max-agents', String(AGENTS)]
    const live = await peakRss(run, dir)
    const replayed = await peakRss(run, dir)
    const agents = (r: { stdout: string }) => (JSON.parse(r.stdout) as { agents: { live: number; replayed: number } }).agents
    if (agents(live).live !== AGENTS) throw new Error(`expected ${AGENTS} live calls: ${live.stdout}`)
    if (agents(replayed).replayed !== AGENTS) throw new Error(`expected ${AGENTS} replayed calls: ${replayed.stdout}`)
    const mb = (value: number) => `${Math.round(value)} MB`
    return [
      {
        name: 'CLI cold start vs bare node',
        value: starts.version! / starts.bare!,
        unit: 'x',
        goal: '<= 3.00',
        detail: `dwf --version ${Math.round(starts.version!)} ms vs node -e "" ${Math.round(starts.bare!)} ms (median of ${RUNS})`,
      },
      {
        name: 'dwf validate vs bare node',
        value: starts.validate! / starts.bare!,
        unit: 'x',
        goal: 'reported',
        detail: `dwf validate ${path.relative(process.cwd(), EXAMPLE)} ${Math.round(starts.validate!)} ms (median of ${RUNS})`,
      },
      {
        name: 'peak RSS, 10,000 live agents vs bare node',
        value: live.mb / bare.mb,
        unit: 'x',
        goal: 'reported',
        detail: `dwf run --agent mock --concurrency 64, ${AGENTS} parallel calls: ${mb(live.mb)} vs node -e "" ${mb(bare.mb)}`,
      },
      {
        name: 'peak RSS, 10,000 replayed vs bare node',
        value: replayed.mb / bare.mb,
        unit: 'x',
        goal: 'reported',
        detail: `the same run again, every call replayed from the journal: ${mb(replayed.mb)}`,
      },
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
