// A small editing agent for the `command` provider: the prompt (stdin) is JSON saying what to
// change in the working directory; the answer is the directory it worked in. Tests use it to
// drive editing calls through dist/cli.js without a model.
//   { "write": { "path": "text" }, "binary": { "path": "base64" }, "delete": ["path"],
//     "rename": [["from", "to"]], "chmod": ["path"], "marker": "/abs/file", "sleepMs": 0 }
import fs from 'node:fs'
import path from 'node:path'

const input = fs.readFileSync(0, 'utf8')
const task = JSON.parse(input.slice(input.indexOf('{')))
if (task.marker) fs.writeFileSync(task.marker, String(process.pid))
if (task.sleepMs) await new Promise((resolve) => setTimeout(resolve, task.sleepMs))
const put = (file, content) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
}
for (const [file, text] of Object.entries(task.write ?? {})) put(file, text)
for (const [file, data] of Object.entries(task.binary ?? {})) put(file, Buffer.from(data, 'base64'))
for (const file of task.delete ?? []) fs.rmSync(file)
for (const [from, to] of task.rename ?? []) fs.renameSync(from, to)
for (const file of task.chmod ?? []) fs.chmodSync(file, 0o755)
process.stdout.write(process.cwd())
