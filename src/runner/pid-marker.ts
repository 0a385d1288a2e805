import { procStat } from '../util/proc-stat.js'

/** Written into a run's directory while its process lives (uwf-style PID marker). */
export interface PidMarker {
  pid: number
  /** The kernel's start time of the process, so a reused PID is not taken for the run. */
  startId?: string
  startedAt: string
}

/** Start time of a process from /proc (Linux); undefined elsewhere or when it is gone. */
export function processStartId(pid: number): string | undefined {
  return procStat(pid)?.[19]
}

/** The marker of a process, as the text of its file. */
export function formatPidMarker(pid: number): string {
  const marker: PidMarker = { pid, startId: processStartId(pid), startedAt: new Date().toISOString() }
  return JSON.stringify(marker) + '\n'
}

/** A marker from the text of its file; undefined when there is none or it is not one. */
export function parsePidMarker(text: string | undefined): PidMarker | undefined {
  if (text === undefined) return undefined
  try {
    const marker = JSON.parse(text) as PidMarker
    // Never 0 or a negative number: signalling those reaches a process group or every process.
    return Number.isSafeInteger(marker.pid) && marker.pid > 1 && (marker.startId === undefined || typeof marker.startId === 'string') ? marker : undefined
  } catch {
    return undefined
  }
}

/** Whether a process with this pid exists (one of another user's counts: signalling it is refused, not unknown). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether the marker's process is alive and is still the same process. Where start times can
 * be read (Linux), a marker must carry the one it was written with: one without (not written
 * by this runner) names no process that `stop` may signal.
 */
export function isAlive(marker: PidMarker): boolean {
  if (!processExists(marker.pid)) return false
  const now = processStartId(marker.pid)
  return now === undefined || now === marker.startId
}
