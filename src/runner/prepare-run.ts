import type { AgentsConfig } from '../agents/config.js'
import { AgentSelectionError, createProviderSet, selectAgent, type AgentSelection } from '../agents/select.js'
import { WorkflowError } from '../core/errors.js'
import type { ProviderSet } from '../core/ports.js'
import { checkJournalSize, JournalTooLargeError } from '../journal/limits.js'
import { formatError } from '../report/terminal.js'
import { loadScript, type LoadedScript } from '../script/load.js'
import { BadInputError } from './bad-input.js'
import { loadAgentsConfig } from './config-file.js'
import { checkDepth, MAX_SCRIPT_BYTES, readInputFile } from './input-files.js'
import type { Invocation } from './invocation.js'
import type { StateDir } from './state-dir.js'

/** A run whose inputs are all checked: nothing can fail on bad input after this point. */
export interface PreparedRun {
  state: StateDir
  runId: string
  invocation: Invocation
  script: LoadedScript
  selection: AgentSelection
  providers: ProviderSet
  config: AgentsConfig
}

/**
 * Checks everything a run needs before it starts (script, meta, agent), so a user mistake
 * is one clear line and exit 2, and no journaled work is touched.
 */
export function prepareRun(
  state: StateDir,
  invocation: Omit<Invocation, 'name'>,
  env: NodeJS.ProcessEnv,
  runId = state.newRunId(),
  options: { allowMockFallback?: boolean } = {},
): PreparedRun {
  const script = loadScriptOrExplain(readScriptFile(invocation.script, invocation.scriptDisplay), invocation.scriptDisplay)
  // --args and the args input are checked where they are read; these may come from a run's invocation.json.
  checkDepth(invocation.args, 'the args value')
  const { flags } = invocation
  const loaded = loadAgentsConfig(flags.config, invocation.cwd)
  const config = flags.command ? { ...loaded, providers: { ...loaded.providers, command: { ...loaded.providers.command, command: flags.command } } } : loaded
  try {
    // --command alone means: run that program as the agent.
    const selection = selectAgent(flags.agent ?? (flags.command ? 'command' : undefined), env, { allowMockFallback: options.allowMockFallback ?? true })
    const providers = createProviderSet(selection, env, config, invocation.cwd)
    state.prepare(script.meta.name)
    checkJournalSize(state.journalFile(script.meta.name))
    return { state, runId, invocation: { ...invocation, name: script.meta.name }, script, selection, providers, config }
  } catch (error) {
    if (error instanceof AgentSelectionError || error instanceof WorkflowError || error instanceof JournalTooLargeError) throw new BadInputError(error.message)
    throw error
  }
}

/** A workflow script's source, up to MAX_SCRIPT_BYTES. */
export function readScriptFile(file: string, display: string): string {
  return readInputFile(file, `the script ${display}`, MAX_SCRIPT_BYTES, `script not found: ${display}`)
}

/** loadScript, with its error as "file:line:col: message". */
export function loadScriptOrExplain(source: string, display: string): LoadedScript {
  try {
    return loadScript(source, display)
  } catch (error) {
    if (error instanceof WorkflowError) throw new BadInputError(formatError({ script: display }, error.toInfo()))
    throw error
  }
}

/** Creates the run directory and its invocation record. */
export function createRunDir(prepared: PreparedRun): void {
  const { state, runId } = prepared
  state.createRunDir(runId)
  state.writeRunFile(runId, 'invocation.json', JSON.stringify(prepared.invocation, null, 2) + '\n')
  state.writeRunFile(runId, 'script.js', prepared.script.source)
}
