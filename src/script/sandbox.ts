import variant from '@jitl/quickjs-singlefile-mjs-release-sync'
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core'
import { WorkflowError } from '../core/errors.js'
import type { WorkflowProgram } from '../core/ports.js'
import { withoutUndefined } from '../util/objects.js'
import { GuestRun } from './guest-run.js'
import type { LoadedScript } from './load.js'
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandbox-limits.js'

export type { SandboxLimits } from './sandbox-limits.js'

/** Runs a loaded script in a fresh QuickJS module, runtime and context. */
export function createSandboxProgram(script: LoadedScript, limits: SandboxLimits = {}): WorkflowProgram {
  let run: GuestRun | undefined
  let disposed = false
  return {
    async run(host, args) {
      // A fresh module per run: a script that breaks QuickJS cannot affect any other run.
      const module = await newQuickJSWASMModuleFromVariant(variant)
      if (disposed) throw new WorkflowError('STOPPED', 'the run was stopped')
      run = new GuestRun(module.newRuntime(), script, host, { ...DEFAULT_SANDBOX_LIMITS, ...withoutUndefined(limits) })
      return run.run(args)
    },
    dispose() {
      disposed = true
      run?.dispose()
    },
  }
}
