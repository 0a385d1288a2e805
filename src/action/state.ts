/**
 * What main hands to post through `core.saveState` (STATE_* in post's environment), behind
 * an interface so tests use a map. Post reads "did main finish its final save?" from here.
 */
export interface ActionState {
  get(name: string): string
  set(name: string, value: string): void
}

export const State = {
  /** JSON of HandOff, written once main knows where the run lives. */
  handOff: 'dwf-hand-off',
  /** 'true' once main saved the journal and uploaded the run state at the end. */
  finalSaved: 'dwf-final-saved',
} as const

/** Enough for post to save the journal and upload the run state without main. */
export interface HandOff {
  runId: string
  /** The state folder, under RUNNER_TEMP (outside the checkout); post reads it with the same no-follow checks. */
  stateDir: string
  name: string
  slot: string
  cachePaths: string[]
  journalFile: string
  attempt: number
  runIdGithub: string
  job: string
  /** Where the status comment goes, when there is one, and the login its comments are by. */
  comment?: { owner: string; repo: string; issueNumber: number; marker: string; author?: string }
}

export class MemoryState implements ActionState {
  readonly values = new Map<string, string>()
  get(name: string): string {
    return this.values.get(name) ?? ''
  }
  set(name: string, value: string): void {
    this.values.set(name, value)
  }
}
