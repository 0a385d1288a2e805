// The CLI tests run dist/cli.js, the bundle users run. Rebuild it before the suites when a
// source file is newer than the bundle, so a test never passes against a stale bundle.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

export default function globalSetup() {
  const built = fs.existsSync('dist/cli.js') ? fs.statSync('dist/cli.js').mtimeMs : 0
  const sources = Math.max(newestMtime('src'), fs.statSync('package.json').mtimeMs, fs.statSync('scripts/bundle.mjs').mtimeMs)
  if (sources > built) execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' })
}
