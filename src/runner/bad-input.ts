/**
 * A mistake in what the user gave the run (the script, args, flags or inputs, the config,
 * the state folder), found before anything runs: one clear line that says what is wrong and
 * where. The CLI exits 2 with it; the Action fails the step with it. No stack trace, no
 * journaled work touched.
 */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BadInputError'
  }
}
