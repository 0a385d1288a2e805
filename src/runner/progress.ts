import type { RunEvent } from '../core/events.js'
import { formatEventLine, renderLive } from '../report/terminal.js'
import type { RunRecorder } from './run-recorder.js'

/** Live progress on stderr: a redrawn table on a TTY, one line per event otherwise. */
export interface Progress {
  event(event: RunEvent): void
  /** A line outside the event stream (notices). */
  line(text: string): void
  /** Stops redrawing and leaves the final table on screen; the caller prints the summary. */
  finish(): void
}

export interface ProgressOptions {
  tty: boolean
  color: boolean
  quiet?: boolean
}

/** Colour when the stream is a terminal, unless NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

/** Events that stay in the scrollback above the live table. */
const SCROLLBACK = new Set<RunEvent['type']>(['run_started', 'phase_started', 'log', 'warning', 'agent_retrying', 'agent_failed'])

export function createProgress(stream: NodeJS.WriteStream, recorder: RunRecorder, options: ProgressOptions): Progress {
  const style = { color: options.color }
  if (!options.tty) {
    return {
      event(event) {
        const line = formatEventLine(event, recorder.snapshot(), style)
        if (line !== undefined && !options.quiet) stream.write(line + '\n')
      },
      line(text) {
        stream.write(text + '\n')
      },
      finish() {},
    }
  }

  let drawn = 0
  let queued: string[] = []
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}F\x1b[0J`)
    drawn = 0
  }
  const draw = (header = true) => {
    clear()
    if (queued.length) stream.write(queued.join('\n') + '\n')
    queued = []
    const table = renderLive(recorder.snapshot(), { ...style, header, width: stream.columns || 100, height: Math.min(stream.rows || 30, 40), now: Date.now() })
    stream.write(table + '\n')
    drawn = table.split('\n').length
  }
  const timer = setInterval(() => draw(), 100)
  timer.unref()
  return {
    event(event) {
      if (!SCROLLBACK.has(event.type)) return
      const line = formatEventLine(event, recorder.snapshot(), style)
      if (line !== undefined) queued.push(line)
    },
    line(text) {
      queued.push(text)
    },
    finish() {
      clearInterval(timer)
      draw(false)
      drawn = 0
    },
  }
}
