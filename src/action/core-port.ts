import type { GetInput } from './inputs.js'

/** Where an annotation points (as @actions/core takes it). */
export interface AnnotationProperties {
  file?: string
  startLine?: number
  startColumn?: number
  title?: string
}

/** The parts of @actions/core the Action uses (injected, so tests can read what it did). */
export interface ActionCore {
  getInput: GetInput
  setOutput(name: string, value: string): void
  setFailed(message: string): void
  info(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  notice(message: string): void
  error(message: string, properties?: AnnotationProperties): void
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>
}
