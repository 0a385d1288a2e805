import { sleep } from '../../util/sleep.js'
import { type CommandSpec, defineRunCommand } from '../command.js'
import { isAlive } from '../../runner/pid-marker.js'
import { safeLine } from '../../report/safe-text.js'

const STOP: Omit<CommandSpec, 'positionals' | 'argument'> = { name: 'stop', summary: 'Stops a running run cleanly; its completed calls stay journaled.', flags: { timeout: { type: 'string', value: 'SECONDS', help: 'how long to wait for a clean stop before killing (default 20)' } } }

/** Sends SIGTERM (a clean stop: in-flight calls abort, the journal stays intact) and waits. */
export const stop = defineRunCommand(STOP, async (info, { flags, state }, io) => {
  if (!info.alive || !info.marker) {
    io.stderr.write(`run ${info.runId} is not running (${safeLine(info.shown)})\n`)
    return 0
  }
  const marker = info.marker
  process.kill(marker.pid, 'SIGTERM')
  const waitMs = Number(flags.timeout ?? 20) * 1000
  const deadline = Date.now() + (Number.isFinite(waitMs) ? waitMs : 20_000)
  while (Date.now() < deadline && isAlive(marker)) await sleep(100)
  if (isAlive(marker)) {
    process.kill(marker.pid, 'SIGKILL')
    io.stderr.write(`run ${info.runId} did not stop within ${Math.round(waitMs / 1000)}s and was killed; its completed calls are journaled\n`)
    return 0
  }
  const after = state.info(info.runId)
  const done = after.snapshot ? after.snapshot.totals.agents.live + after.snapshot.totals.agents.replayed : 0
  io.stderr.write(`stopped run ${info.runId} (${safeLine(after.shown)}); ${done} completed call${done === 1 ? '' : 's'} journaled · dwf resume ${info.runId} continues it\n`)
  return 0
}, { ownStateOnly: true })
