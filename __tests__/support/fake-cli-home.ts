import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** What a fake agent CLI (support/bin/fake-*.mjs) records about how it was run. */
export interface RecordedRun {
  argv: string[]
  env: Record<string, string>
  stdin: string
}

/**
 * Scratch HOME directories for the fake agent CLIs: each holds the fake's scenario.json, and
 * the fake writes record.json there. Open in beforeAll, close in afterAll.
 */
export class FakeCliHomes {
  root = ''
  #seq = 0

  open(prefix: string): void {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  }

  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true })
  }

  /** A fresh HOME with this scenario; `record()` reads what the fake was given. */
  make(scenario: object = {}): { home: string; record: () => RecordedRun } {
    const home = path.join(this.root, `home-${++this.#seq}`)
    fs.mkdirSync(home)
    fs.writeFileSync(path.join(home, 'scenario.json'), JSON.stringify(scenario))
    return { home, record: () => JSON.parse(fs.readFileSync(path.join(home, 'record.json'), 'utf8')) as RecordedRun }
  }
}
