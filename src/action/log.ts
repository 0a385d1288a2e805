/** Where the Action's machinery (cache, artifact, comment) says what happened. */
export interface Log {
  info(message: string): void
  warning(message: string): void
}

/**
 * The Action's log, also keeping its warnings and notices (cache, artifact, comment problems)
 * so the job summary and the PR comment can list them: a reader of the summary should not
 * have to open the log to learn that the journal was not saved.
 */
export function noting(core: Log & { notice(message: string): void }, notes: string[]): Log & { notice(message: string): void } {
  return {
    info: (message) => core.info(message),
    warning(message) {
      notes.push(message)
      core.warning(message)
    },
    notice(message) {
      notes.push(message)
      core.notice(message)
    },
  }
}
