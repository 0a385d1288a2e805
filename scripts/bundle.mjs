// Builds dist/ with esbuild: ESM with code splitting (commands load lazily, so
// `dwf --version` stays cheap), and a createRequire banner so CommonJS dependencies can
// require Node built-ins. About a second. Not ncc: slow, and it breaks QuickJS
// (../shared/notes/toolchain.md). The new dist/ replaces the old one in one rename, so a
// test running the CLI meanwhile never finds it half-written.
import { build } from 'esbuild'
import { readFileSync, renameSync, rmSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const entries = { cli: 'src/cli/bin.ts', main: 'src/action/main.ts', post: 'src/action/post.ts' }
const staging = `dist.tmp-${process.pid}`

await build({
  entryPoints: entries,
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);" },
  define: { __DWF_VERSION__: JSON.stringify(pkg.version) },
  // JavaScript that runs inside the QuickJS sandbox, imported as text (src/script/guest-text.d.ts).
  loader: { '.guest.js': 'text' },
  logLevel: 'warning',
})
const old = `dist.old-${process.pid}`
try {
  renameSync('dist', old)
} catch {
  // no previous dist/
}
renameSync(staging, 'dist')
rmSync(old, { recursive: true, force: true })
