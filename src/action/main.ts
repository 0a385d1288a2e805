import { mainStep } from './wiring.js'

await mainStep()
