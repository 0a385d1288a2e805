import type { RunIO } from '../runner/execute-run.js'

/** Streams, environment and stop signal of one CLI invocation (tests pass their own). */
export interface CliIO extends RunIO {
  stdout: NodeJS.WriteStream
  cwd: string
}
