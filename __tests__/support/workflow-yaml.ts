import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'

/**
 * Errors GitHub's own workflow parser (@actions/workflow-parser, what the Actions VS Code
 * extension runs) finds in a workflow file: the schema pass, then the conversion to a
 * workflow template (which checks jobs, needs, expressions and step shapes).
 */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors().map((e: { message: string }) => e.message)
  if (errors.length > 0 || !parsed.value) return errors.length ? errors : ['the file is empty']
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  return (template.errors ?? []).map((e: { Message: string }) => e.Message)
}
