import { WorkflowError } from '../core/errors.js'
import type { EditBase, EditsPort } from '../core/ports.js'
import type { AgentProvider } from '../core/provider.js'
import type { CallIdentity } from '../journal/identity.js'
import type { AgentOptions } from './agent-options.js'

/**
 * Starts an editing call (`edits: true`): checks its agent can change files, takes its
 * starting tree and its place in the landing order. The tree joins the call's identity, so a
 * change anywhere in the folder runs it again; with `files`, only those files' contents do.
 */
export function beginEditing(edits: EditsPort | undefined, provider: AgentProvider, identity: CallIdentity, options: AgentOptions, line: number | undefined): EditBase {
  if (!provider.canEdit)
    throw new WorkflowError(
      'INVALID_CALL',
      `agent(): 'edits: true' needs an agent that can change files (claude-code, codex or command); '${provider.name}' only answers with text. Route this call to one of those, or turn its answer into changes with writeFile() or applyPatch()`,
      { line },
    )
  if (!edits) throw new WorkflowError('INVALID_CALL', "agent(): 'edits: true' is not available here: this run cannot change files", { line })
  let base: EditBase
  try {
    base = edits.begin()
  } catch (error) {
    // git missing, a folder it cannot read: the call's line says where it was asked for.
    const code = error instanceof WorkflowError ? error.code : 'EDIT_FAILED'
    throw new WorkflowError(code, `agent(): 'edits: true': ${(error as Error).message}`, { line })
  }
  identity.edits = true
  if (!options.files) identity.tree = base.tree
  return base
}
