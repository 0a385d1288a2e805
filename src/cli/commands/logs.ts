import { sleep } from '../../util/sleep.js'
import { safeText } from '../../report/safe-text.js'
import { type CommandSpec, defineRunCommand } from '../command.js'
import { isAlive } from '../../runner/pid-marker.js'
import type { StateDir } from '../../runner/state-dir.js'

const LOGS: Omit<CommandSpec, 'positionals' | 'argument'> = { name: 'logs', summary: "Prints a run's log (one line per event); -f follows it until the run ends.", flags: { follow: { type: 'boolean', short: 'f', help: 'keep printing new lines until the run ends' } } }

export const logs = defineRunCommand(LOGS, async (info, { flags, state }, io) => {
  const reader = new LogReader(state, info.runId)
  // log.txt may come from a checkout rather than from our own run: it is printed as untrusted text.
  const print = (text: string) => {
    if (text) io.stdout.write(safeText(text))
  }
  print(reader.completeLines())
  if (flags.follow) {
    while (info.marker && isAlive(info.marker)) {
      await sleep(200)
      print(reader.completeLines())
    }
    print(reader.completeLines())
  }
  print(reader.rest())
  return 0
})

/**
 * Reads a run's growing log in whole lines, so each line is sanitised whole (a `::` split
 * across two reads would escape the check) and no UTF-8 character is cut in two. Each read
 * is checked again: the log must never turn into a link to a file it would print.
 */
class LogReader {
  #offset = 0
  #partial = Buffer.alloc(0)

  constructor(
    private readonly state: StateDir,
    private readonly runId: string,
  ) {}

  /** The lines completed since the last call. */
  completeLines(): string {
    const bytes = Buffer.concat([this.#partial, this.#readNew()])
    const end = bytes.lastIndexOf(0x0a) + 1
    this.#partial = bytes.subarray(end)
    return bytes.subarray(0, end).toString('utf8')
  }

  /** What is left after the last newline (a line the run did not finish). */
  rest(): string {
    const text = Buffer.concat([this.#partial, this.#readNew()]).toString('utf8')
    this.#partial = Buffer.alloc(0)
    return text
  }

  #readNew(): Buffer {
    const bytes = this.state.readRunBytes(this.runId, 'log.txt', this.#offset) ?? Buffer.alloc(0)
    this.#offset += bytes.length
    return bytes
  }
}
