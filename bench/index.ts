/** `npm run bench`: runs every benchmark and prints one table of ratios, then the resume-waste detail. */
import { cacheBenchmarks } from './cache.bench.js'
import { cliBenchmarks } from './cli.bench.js'
import { editsBenchmarks } from './edits.bench.js'
import { engineBenchmarks, type BenchRow } from './engine.bench.js'
import { resumeBenchmarks, resumeTable } from './resume.bench.js'

const engine = await engineBenchmarks()
const resume = await resumeBenchmarks()
const rows: BenchRow[] = [...engine, ...resume.rows, ...(await cliBenchmarks()), ...(await cacheBenchmarks()), ...(await editsBenchmarks())]
const fmt = (row: BenchRow) => (row.unit === 'x' ? row.value.toFixed(3) + ' x' : Math.round(row.value).toLocaleString('en-US') + ' ' + row.unit)
const width = Math.max(...rows.map((r) => r.name.length))
console.log(`${'benchmark'.padEnd(width)}  ${'result'.padStart(16)}  goal        detail`)
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${fmt(row).padStart(16)}  ${row.goal.padEnd(10)}  ${row.detail}`)
console.log('')
for (const line of resumeTable(resume.results)) console.log(line)
