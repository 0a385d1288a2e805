import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineRunCommand,
  jsonFlag
} from "./chunk-5VXOP6UG.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import {
  useColor
} from "./chunk-FAQWL2FP.js";
import {
  renderStatus
} from "./chunk-23ZJXTE6.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-JA3FFBR6.js";
import {
  safeJsonLine,
  safeLine
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/status.ts
var STATUS = { name: "status", summary: "Shows where a run stands: phases, every agent, totals, errors.", flags: { json: jsonFlag("print the run snapshot as JSON") } };
var status = defineRunCommand(STATUS, async (info, { flags }, io) => {
  if (!info.snapshot) {
    io.stdout.write(flags.json ? safeJsonLine({ runId: info.runId, status: info.shown }) + "\n" : `run ${safeLine(info.runId)}: ${safeLine(info.shown)} (it has not reported progress yet)
`);
    if (!flags.json && info.shown === "interrupted") io.stdout.write(resumeHint(info.runId));
    return 0;
  }
  if (flags.json) {
    io.stdout.write(safeJsonLine({ ...info.snapshot, status: info.shown }) + "\n");
    return 0;
  }
  let text;
  try {
    text = renderStatus(info.snapshot, info.shown, { color: useColor(io.stdout, io.env) }, io.stdout.columns || 100);
  } catch (error) {
    throw new UsageError(`run ${info.runId}: its run.json is damaged or was not written by dwf (${error.message}); \`dwf rm ${info.runId}\` removes the run`);
  }
  io.stdout.write(text + "\n");
  if (info.shown === "interrupted") io.stdout.write("\n" + resumeHint(info.runId));
  return 0;
});
function resumeHint(runId) {
  return `the run's process ended without finishing (killed?); its completed calls are journaled: dwf resume ${runId}
`;
}
export {
  status
};
