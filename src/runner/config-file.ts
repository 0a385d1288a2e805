import fs from 'node:fs'
import path from 'node:path'
import { checkAgentsConfig, EMPTY_AGENTS_CONFIG, type AgentsConfig } from '../agents/config.js'
import { BadInputError } from './bad-input.js'
import { MAX_CONFIG_BYTES, parseJsonInput, readInputFile } from './input-files.js'

/** Looked for in the working directory when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'dynamic-workflow.json'

/**
 * The project's routing and provider settings: --config FILE, else dynamic-workflow.json in
 * the working directory when there is one, else none. Mistakes are usage errors naming the file.
 */
export function loadAgentsConfig(flag: string | undefined, cwd: string): AgentsConfig {
  const file = path.resolve(cwd, flag ?? DEFAULT_CONFIG_FILE)
  if (!fs.existsSync(file)) {
    if (flag !== undefined) throw new BadInputError(`--config file ${flag} was not found`)
    return EMPTY_AGENTS_CONFIG
  }
  const shown = flag ?? DEFAULT_CONFIG_FILE
  const text = readInputFile(file, shown, MAX_CONFIG_BYTES, `${shown} could not be read`)
  const value = parseJsonInput(text, shown)
  try {
    return checkAgentsConfig(value, shown)
  } catch (error) {
    throw new BadInputError((error as Error).message)
  }
}
