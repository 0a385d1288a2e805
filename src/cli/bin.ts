#!/usr/bin/env node
import { main } from './main.js'
import { EXIT } from './exit.js'

// The entry of dist/cli.js, and the only place the CLI touches signals or exits.
//
// The first SIGINT or SIGTERM stops the run cleanly (in-flight calls end; every completed
// call is already fsynced in the journal). A second Ctrl-C quits at once: what a run
// registered for that (marking itself stopped) is done first, synchronously.
const stop = new AbortController()
const forcedExitWork = new Set<() => void>()
function onSignal(signal: NodeJS.Signals): void {
  if (!stop.signal.aborted) {
    stop.abort(signal)
    return
  }
  if (signal !== 'SIGINT') return
  for (const work of forcedExitWork) work()
  process.exit(EXIT.stopped)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  onForcedExit(work) {
    forcedExitWork.add(work)
    return () => forcedExitWork.delete(work)
  },
})
process.exitCode = code
// Both streams drained first: a long run's progress can still sit in a pipe's queue, and exit drops it.
// process.exit is needed: a provider's keep-alive socket or a stray timer must not keep a finished run alive.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))))
process.exit(code)
