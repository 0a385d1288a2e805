// `npm run bench`: the benchmarks are TypeScript over src/, run with tsx (and the guest prelude imported as text).
import { execFileSync } from 'node:child_process'

execFileSync(process.execPath, ['--import', './scripts/guest-text-loader.mjs', '--import', 'tsx', 'bench/index.ts'], { stdio: 'inherit' })
