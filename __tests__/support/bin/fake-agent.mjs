#!/usr/bin/env node
// A stand-in agent program for the command provider and runProcess tests.
// Usage: fake-agent.mjs <mode> [args...]
//   echo                  answer with {"result": JSON of {argv, env, stdin}}
//   print <text>          print <text> to stdout as is
//   fail <code> <text>    print <text> to stderr and exit with <code>
//   chatty <n>            print n lines to stdout and stderr, one per 5 ms, then "done"
//   big <bytes>           print that many bytes, then wait forever
//   grandchild <pidfile>  start a sleeping grandchild, write both pids, and hang (SIGTERM ends it)
//   stubborn <pidfile>    like grandchild, but this process ignores SIGTERM (needs SIGKILL)
//   background <pidfile>  start a sleeping grandchild, write both pids, answer and exit at once
import { spawn } from 'node:child_process'
import fs from 'node:fs'

const [mode, ...rest] = process.argv.slice(2)

function readStdin() {
  try {
    return fs.readFileSync(0, 'utf8')
  } catch {
    return ''
  }
}

/** Writes "<own pid> <grandchild pid>" atomically, so a reader never sees half of it. */
function writePids(file, grandchild) {
  fs.writeFileSync(file + '.tmp', `${process.pid} ${grandchild.pid}`)
  fs.renameSync(file + '.tmp', file)
}

function sleeper() {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
}

switch (mode) {
  case 'echo': {
    const stdin = readStdin()
    process.stdout.write(JSON.stringify({ result: JSON.stringify({ argv: process.argv.slice(2), env: process.env, stdin }) }))
    break
  }
  case 'print':
    readStdin()
    process.stdout.write(rest[0] ?? '')
    break
  case 'fail':
    readStdin()
    process.stderr.write(rest[1] ?? '')
    process.exitCode = Number(rest[0])
    break
  case 'chatty': {
    let left = Number(rest[0])
    const timer = setInterval(() => {
      if (left-- <= 0) {
        clearInterval(timer)
        process.stdout.write('done')
        return
      }
      process.stdout.write(`line ${left}\n`)
      process.stderr.write(`progress ${left}\n`)
    }, 5)
    break
  }
  case 'big':
    process.stdout.write('x'.repeat(Number(rest[0])))
    setInterval(() => {}, 1000)
    break
  case 'grandchild':
  case 'stubborn': {
    if (mode === 'stubborn') process.on('SIGTERM', () => {})
    const child = sleeper()
    writePids(rest[0], child)
    process.stdout.write('started\n')
    setInterval(() => {}, 1000)
    break
  }
  case 'background': {
    const child = sleeper()
    child.unref()
    writePids(rest[0], child)
    process.stdout.write('answered early')
    process.exit(0)
    break // not reached: exit ends the process
  }
  default:
    process.stderr.write(`fake-agent: unknown mode ${mode}\n`)
    process.exit(2)
}
