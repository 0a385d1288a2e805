import { mainStep } from './wiring.js'

// The entry of dist/main.js, and the only place the main step touches signals or exits.
//
// The runner cancels a job with SIGINT, then SIGTERM 7.5 s later, then SIGKILL. The first
// signal stops the run cleanly; the next ones are held, so the final save of the journal, the
// artifact, the outputs and the comment still happen (SIGKILL ends it regardless, and then the
// post step saves what is on disk).
const stop = new AbortController()
function onSignal(signal: NodeJS.Signals): void {
  if (!stop.signal.aborted) stop.abort(signal)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

// process.exit: pending HTTP retries must not keep a finished step alive.
process.exit(await mainStep(stop.signal))
