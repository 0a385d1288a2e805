/** `npm run bench`: runs every benchmark and prints one table of ratios. */
import { cacheBenchmarks } from './cache.bench.js'
import { engineBenchmarks, type BenchRow } from './engine.bench.js'

const rows: BenchRow[] = [...(await engineBenchmarks()), ...(await cacheBenchmarks())]
const fmt = (row: BenchRow) => (row.unit === 'x' ? row.value.toFixed(3) + ' x' : Math.round(row.value).toLocaleString('en-US') + ' ' + row.unit)
const width = Math.max(...rows.map((r) => r.name.length))
console.log(`${'benchmark'.padEnd(width)}  ${'result'.padStart(16)}  goal        detail`)
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${fmt(row).padStart(16)}  ${row.goal.padEnd(10)}  ${row.detail}`)
