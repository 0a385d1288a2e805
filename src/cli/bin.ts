#!/usr/bin/env node
import { main } from './index.js'

// The entry of dist/cli.js. process.exit is needed: a provider's keep-alive socket or a
// stray timer must not keep a finished run alive.
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
process.exitCode = code
// Both streams drained first: a long run's progress can still sit in a pipe's queue, and exit drops it.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))))
process.exit(code)
