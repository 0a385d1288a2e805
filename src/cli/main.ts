/**
 * @module cli
 * `dwf`: the local runner. A thin shell over src/runner: it parses flags, wires the journal
 * file, the sandbox and a provider, shows progress on stderr and keeps the run's files.
 * This is the only place that turns errors into exit codes.
 */
import { WorkflowError } from '../core/errors.js'
import { safeText } from '../report/safe-text.js'
import { UnsafePathError } from '../util/no-follow-fs.js'
import { BadInputError } from '../runner/bad-input.js'
import { EXIT, ExitError } from './exit.js'
import type { Command } from './command.js'
import type { CliIO } from './io.js'

declare const __DWF_VERSION__: string | undefined
export const VERSION = typeof __DWF_VERSION__ === 'string' ? __DWF_VERSION__ : '0.0.0-dev'

/** Commands load only when they match, which keeps `dwf --version` cheap. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).run,
  resume: async () => (await import('./commands/resume.js')).resume,
  list: async () => (await import('./commands/list.js')).list,
  status: async () => (await import('./commands/status.js')).status,
  stop: async () => (await import('./commands/stop.js')).stop,
  rm: async () => (await import('./commands/rm.js')).rm,
  logs: async () => (await import('./commands/logs.js')).logs,
  diff: async () => (await import('./commands/diff.js')).diff,
  validate: async () => (await import('./commands/validate.js')).validate,
  __worker: async () => (await import('./commands/worker.js')).worker,
}

const HELP = `dwf ${VERSION}: run scripts that orchestrate many AI agents; no completed agent call is paid for twice.

usage: dwf <command> [options]

  run <script>        run a workflow script (replays journaled calls, runs the rest live)
  resume <runId>      run a run's script again with its args; completed calls replay
  list                list runs
  status <runId>      show a run: phases, agents, totals, errors
  stop <runId>        stop a running run cleanly (completed calls stay journaled)
  diff <runId>        print what a run changed in the working directory, as a patch
  rm <runId>          remove a finished run's files
  logs <runId> [-f]   print (or follow) a run's log
  validate <script>   check a script without running it

dwf <command> --help shows a command's options. Exit codes: 0 succeeded, 1 the workflow
failed, 2 bad usage or input, 130 stopped.`

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  try {
    if (name === '--version' || name === '-v' || name === 'version') {
      io.stdout.write(VERSION + '\n')
      return EXIT.ok
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(HELP + '\n')
      return name === undefined ? EXIT.usage : EXIT.ok
    }
    const load = COMMANDS[name]
    if (!load) {
      const { closest } = await import('../util/closest.js')
      const near = closest(name, Object.keys(COMMANDS).filter((c) => !c.startsWith('_')))
      throw new ExitError(EXIT.usage, `unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}; see dwf --help`)
    }
    return await (await load())(rest, io)
  } catch (error) {
    // Messages can quote a script, a file or an argument: printed as untrusted text.
    if (error instanceof ExitError) {
      if (error.message) io.stderr.write(`error: ${safeText(error.message)}\n`)
      return error.code
    }
    // Bad input found by the runner, or a link or a pipe in the state folder at any access: refused, exit 2.
    if (error instanceof BadInputError || error instanceof WorkflowError || error instanceof UnsafePathError) {
      io.stderr.write(`error: ${safeText(error.message)}\n`)
      return EXIT.usage
    }
    io.stderr.write(`dwf: internal error (please report it with this output):\n${safeText((error as Error)?.stack ?? String(error))}\n`)
    return EXIT.failed
  }
}
