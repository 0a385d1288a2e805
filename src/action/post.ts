import { postStep } from './wiring.js'

// The entry of dist/post.js. process.exit: pending HTTP retries must not keep a finished step alive.
process.exit(await postStep())
