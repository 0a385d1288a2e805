// `npm run bench`: the benchmarks are TypeScript over src/, run with tsx.
import { execFileSync } from 'node:child_process'

execFileSync(process.execPath, ['--import', 'tsx', 'bench/index.ts'], { stdio: 'inherit' })
