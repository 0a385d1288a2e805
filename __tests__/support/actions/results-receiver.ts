import http from 'node:http'
import { CACHE_SERVICE, type CacheService } from './cache-service.js'
import type { ArtifactService } from './artifact-service.js'
import { startEmulatorServer } from './emulator.js'

/**
 * One ACTIONS_RESULTS_URL for both emulators, as the real results receiver serves the cache
 * and the artifact services on one host. Twirp calls go to the service they name; each
 * service checks tokens it issued, so cache calls carry the cache emulator's token (the
 * artifact client reads its backend ids from ACTIONS_RUNTIME_TOKEN itself). Signed blob URLs
 * point at each emulator directly.
 */
export async function startResultsReceiver(cache: CacheService, artifacts: ArtifactService): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startEmulatorServer((req, res) => {
    const toCache = (req.url ?? '').includes(`/twirp/${CACHE_SERVICE}/`)
    const target = new URL(req.url ?? '/', toCache ? cache.url : artifacts.url)
    const headers = { ...req.headers, host: target.host }
    if (toCache) headers.authorization = `Bearer ${cache.token()}`
    const forward = http.request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  return { url: `${server.url}/`, close: server.close }
}
