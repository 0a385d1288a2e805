// Builds dist/ with esbuild: ESM, one file per entry, with a createRequire banner so
// CommonJS dependencies can require Node built-ins. About a second; see docs in
// ../shared/notes/toolchain.md for why not ncc (slow, and it breaks QuickJS).
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const entries = { cli: 'src/cli/bin.ts' }

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  banner: { js: "import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);" },
  define: { __DWF_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
})
