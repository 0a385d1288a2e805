// Runs the official, unmodified @actions/cache client (and its own @azure/storage-blob) in a
// fresh process, so the environment it reads at import and call time is exactly the one the
// test passes (as the runner gives it to a JavaScript action). Usage:
//   node cache-client.mjs '{"ops":[...], "parallel":false}'
// Ops (paths are relative to the working directory):
//   {op:'write', path, text}                               write a file (creating directories)
//   {op:'save', paths, key, options?}                      cache.saveCache
//   {op:'restore', paths, key, restoreKeys?, options?}     cache.restoreCache
//   {op:'blobUpload', url, file, blockSize, maxSingleShotSize, concurrency}   BlockBlobClient.uploadFile
//   {op:'blobDownload', url, blockSize?}                   BlobClient.downloadToBuffer -> {size, sha256}
// Each op gives {value} or {error: {name, message}}; the results are printed as one line
// `@@cache-client-result@@ <json array>` after everything the client printed itself.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as cache from '@actions/cache'

const MARKER = '@@cache-client-result@@'
const { ops, parallel = false } = JSON.parse(process.argv[2] ?? '{}')

/** The @azure/storage-blob that @actions/cache itself resolves (it pins its own version). */
async function storageBlob() {
  const cacheEntry = fileURLToPath(import.meta.resolve('@actions/cache'))
  const resolved = createRequire(cacheEntry).resolve('@azure/storage-blob')
  return import(pathToFileURL(resolved).href)
}

async function run(op) {
  switch (op.op) {
    case 'write':
      fs.mkdirSync(path.dirname(path.resolve(op.path)), { recursive: true })
      fs.writeFileSync(op.path, op.text)
      return null
    case 'save':
      return await cache.saveCache(op.paths, op.key, op.options)
    case 'restore':
      return (await cache.restoreCache(op.paths, op.key, op.restoreKeys, op.options)) ?? null
    case 'blobUpload': {
      const { BlockBlobClient } = await storageBlob()
      const client = new BlockBlobClient(op.url)
      const response = await client.uploadFile(op.file, { blockSize: op.blockSize, maxSingleShotSize: op.maxSingleShotSize, concurrency: op.concurrency })
      return { status: response._response.status }
    }
    case 'blobDownload': {
      const { BlobClient } = await storageBlob()
      const buffer = await new BlobClient(op.url).downloadToBuffer(0, undefined, { blockSize: op.blockSize, concurrency: 4 })
      return { size: buffer.length, sha256: crypto.createHash('sha256').update(buffer).digest('hex') }
    }
    default:
      throw new Error(`unknown op ${op.op}`)
  }
}

async function settle(op) {
  try {
    return { value: await run(op) }
  } catch (error) {
    return { error: { name: error?.name, message: error?.message ?? String(error) } }
  }
}

const results = []
if (parallel) results.push(...(await Promise.all(ops.map(settle))))
else for (const op of ops) results.push(await settle(op))
process.stdout.write(`\n${MARKER} ${JSON.stringify(results)}\n`)
