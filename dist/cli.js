#!/usr/bin/env node
import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  EXIT,
  ExitError
} from "./chunks/chunk-BDBW6SVH.js";
import {
  WorkflowError
} from "./chunks/chunk-6BEEJJSZ.js";
import {
  safeText
} from "./chunks/chunk-CGEEEPWU.js";
import {
  BadInputError,
  UnsafePathError
} from "./chunks/chunk-BBNUW6J6.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/cli/main.ts
var VERSION = true ? "0.1.0" : "0.0.0-dev";
var COMMANDS = {
  run: async () => (await import("./chunks/run-C5XSMOSP.js")).run,
  resume: async () => (await import("./chunks/resume-HFDVTSEI.js")).resume,
  list: async () => (await import("./chunks/list-BIPUHOUR.js")).list,
  status: async () => (await import("./chunks/status-XLWDRL2L.js")).status,
  stop: async () => (await import("./chunks/stop-ZKQFQTQH.js")).stop,
  rm: async () => (await import("./chunks/rm-VHAKTWMD.js")).rm,
  logs: async () => (await import("./chunks/logs-XNMGMUCR.js")).logs,
  diff: async () => (await import("./chunks/diff-ZCZGKGPY.js")).diff,
  validate: async () => (await import("./chunks/validate-RTMXT62W.js")).validate,
  __worker: async () => (await import("./chunks/worker-2EM6QKUE.js")).worker
};
var HELP = `dwf ${VERSION}: run scripts that orchestrate many AI agents; no completed agent call is paid for twice.

usage: dwf <command> [options]

  run <script>        run a workflow script (replays journaled calls, runs the rest live)
  resume <runId>      run a run's script again with its args; completed calls replay
  list                list runs
  status <runId>      show a run: phases, agents, totals, errors
  stop <runId>        stop a running run cleanly (completed calls stay journaled)
  diff <runId>        print what a run changed in the working directory, as a patch
  rm <runId>          remove a finished run's files
  logs <runId> [-f]   print (or follow) a run's log
  validate <script>   check a script without running it

dwf <command> --help shows a command's options. Exit codes: 0 succeeded, 1 the workflow
failed, 2 bad usage or input, 130 stopped.`;
async function main(argv, io) {
  const [name, ...rest] = argv;
  try {
    if (name === "--version" || name === "-v" || name === "version") {
      io.stdout.write(VERSION + "\n");
      return EXIT.ok;
    }
    if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
      io.stdout.write(HELP + "\n");
      return name === void 0 ? EXIT.usage : EXIT.ok;
    }
    const load = COMMANDS[name];
    if (!load) {
      const { closest } = await import("./chunks/closest-ZLO6KL6H.js");
      const near = closest(name, Object.keys(COMMANDS).filter((c) => !c.startsWith("_")));
      throw new ExitError(EXIT.usage, `unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ""}; see dwf --help`);
    }
    return await (await load())(rest, io);
  } catch (error) {
    if (error instanceof ExitError) {
      if (error.message) io.stderr.write(`error: ${safeText(error.message)}
`);
      return error.code;
    }
    if (error instanceof BadInputError || error instanceof WorkflowError || error instanceof UnsafePathError) {
      io.stderr.write(`error: ${safeText(error.message)}
`);
      return EXIT.usage;
    }
    io.stderr.write(`dwf: internal error (please report it with this output):
${safeText(error?.stack ?? String(error))}
`);
    return EXIT.failed;
  }
}

// src/cli/bin.ts
var stop = new AbortController();
var forcedExitWork = /* @__PURE__ */ new Set();
function onSignal(signal) {
  if (!stop.signal.aborted) {
    stop.abort(signal);
    return;
  }
  if (signal !== "SIGINT") return;
  for (const work of forcedExitWork) work();
  process.exit(EXIT.stopped);
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
var code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
  onForcedExit(work) {
    forcedExitWork.add(work);
    return () => forcedExitWork.delete(work);
  }
});
process.exitCode = code;
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write("", resolve))));
process.exit(code);
