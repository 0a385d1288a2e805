/**
 * Commands throw these; only src/cli/main.ts turns them into an exit code (src/cli/bin.ts exits). Codes are the
 * contract of DESIGN.md: 0 succeeded, 1 the workflow failed, 2 bad usage or input, 130 stopped.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, stopped: 130 } as const

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message)
    this.name = 'ExitError'
  }
}

/** Bad flags, a missing file, bad input: one line on stderr, exit 2. */
export class UsageError extends ExitError {
  constructor(message: string) {
    super(EXIT.usage, message)
    this.name = 'UsageError'
  }
}
