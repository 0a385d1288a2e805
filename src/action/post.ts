import { postStep } from './wiring.js'

await postStep()
