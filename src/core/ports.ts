import type { AgentProvider } from './provider.js'
import { type ChangedFile, type EntryEdits, type JournalEntry } from './journal-entry.js'

/** The literal `meta` a script exports (read by parsing, never by running). */
export interface WorkflowMeta {
  name: string
  description?: string
  /** Default model of the workflow. */
  model?: string
  phases?: PhaseMeta[]
}

export interface PhaseMeta {
  title: string
  detail?: string
  model?: string
}

/** What the sandbox sends out for one `agent()` call: raw values, checked by the engine. */
export interface AgentCallRequest {
  prompt: unknown
  options?: unknown
  /** Line of the call in the workflow script. */
  line?: number
}

export interface BudgetView {
  /** Token budget of the run, or null when unlimited. */
  total: number | null
  /**
   * Tokens of every call whose answer the script has received, replayed ones at their
   * journaled usage, so a replay reads what the original run read. (The hard limits count
   * live spending only.)
   */
  spent: number
  remaining: number | null
  totalUsd: number | null
  spentUsd: number
}

/**
 * The functions a running script may call. The sandbox only emits requests through them;
 * the engine decides replay or live, and owns every side effect.
 */
export interface ScriptHost {
  agent(request: AgentCallRequest): Promise<unknown>
  phase(title: unknown, options: unknown, line?: number): void
  /** One-way sink, like Temporal's: nothing comes back. */
  log(message: string, line?: number): void
  readFile(path: unknown, line?: number): string
  glob(pattern: unknown, line?: number): string[]
  /** Replaces a file of the working folder (not journaled: the script runs again on replay). */
  writeFile(path: unknown, text: unknown, line?: number): void
  /** Applies a unified diff to the working folder, all or nothing; returns the files it changed. */
  applyPatch(diff: unknown, line?: number): ChangedFile[]
  /** report(), review.comment(), review.summary(), labels.add/remove(): `[kind, ...arguments]` as the script gave them. */
  effect(args: unknown[], line?: number): void
  budget(): BudgetView
}

/** A loaded workflow script, ready to run against a host. */
export interface WorkflowProgram {
  /** Resolves with the script's JSON-serialisable result; rejects with a WorkflowError. */
  run(host: ScriptHost, args: unknown): Promise<unknown>
  /** Tears the program down, also while it still waits on calls (a stopped run). */
  dispose(): void
}

export interface JournalPort {
  get(key: string): JournalEntry | undefined
  /** Resolves once the entry is durable. */
  append(entry: JournalEntry): Promise<void>
  entries(): Iterable<JournalEntry>
}

/** Read-only access to the working directory, for readFile/glob and the `files` option. */
export interface WorkspacePort {
  readFile(path: string): string
  glob(pattern: string): string[]
  /** path -> sha256 of content, for explicit paths and glob matches. */
  hashFiles(patterns: string[]): Record<string, string>
}

/**
 * Changes to the working folder. Editing calls start from the folder as the script has seen
 * it, work in a copy of their own, and land their changes in the order the script made the
 * calls, so neither the folder nor any identity depends on which call finished first.
 */
export interface EditsPort {
  /** Called when the script makes an editing call: the tree it starts from, and its place in the landing order. */
  begin(): EditBase
  /** A private copy of `base` for a live call's agent to work in. */
  isolate(base: EditBase): Promise<IsolatedTree>
  /** Lands a call's changes once every earlier editing call has landed or dropped out; a CONFLICT error when they overlap. */
  land(base: EditBase, edits: EntryEdits, call: EditingCall): Promise<void>
  /** An editing call that will land nothing (it failed, or the run stopped): later calls need not wait for it. */
  drop(base: EditBase): void
  /** The script's writeFile(), confined like readFile(). */
  writeFile(path: string, text: string): void
  /** The script's applyPatch(). */
  applyPatch(diff: string): ChangedFile[]
}

export interface EditBase {
  /** Git tree hash of the folder the call starts from. */
  tree: string
  /** The call's place in the landing order. */
  ticket: number
}

export interface EditingCall {
  label: string
  line?: number
}

export interface IsolatedTree {
  dir: string
  /** What the agent changed: the patch from the base, and the files it touches. */
  capture(): Promise<EntryEdits>
  /** Removes the copy (always called, also when the call failed). */
  remove(): Promise<void>
}

export interface ProviderSet {
  /** The provider of calls that do not route elsewhere. */
  readonly defaultProvider: string
  get(name: string): AgentProvider | undefined
}

/** Where a tier or agent type sends its calls. */
export interface ModelRoute {
  /** Provider name; the run's default provider when absent. */
  provider?: string
  model: string
}

/** A named kind of agent (`agentType` option): its model, system prompt and tools. */
export interface AgentTypeConfig {
  provider?: string
  model?: string
  system?: string
  tools?: string[]
}
