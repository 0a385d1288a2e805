// `npm run demo`: runs the PR-review example twice with the offline mock agent, in a fresh
// state directory. The first run calls every agent live; the second replays every call
// from the journal and reports what that saved.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-demo-'))
const run = (title) => {
  process.stderr.write(`\n── ${title} ──\n`)
  execFileSync(process.execPath, ['dist/cli.js', 'run', 'workflows-examples/pr-review.workflow.js', '--agent', 'mock', '--state-dir', stateDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DWF_MOCK_LATENCY_MS: process.env.DWF_MOCK_LATENCY_MS ?? '300' },
  })
}
run('first run: every agent call is live')
run('second run: every call replays from the journal')
process.stderr.write(`\nThe journal is in ${path.join(stateDir, 'journal')}; edit the example and run it with dwf to see only the changed calls run live.\n`)
