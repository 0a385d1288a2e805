import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  mainStep
} from "./chunks/chunk-JFHQYNHK.js";
import "./chunks/chunk-JQT7X7FP.js";
import "./chunks/chunk-PNUYT6IQ.js";
import "./chunks/chunk-UPNGW7ZP.js";
import "./chunks/chunk-NM2YASEK.js";
import "./chunks/chunk-FAQWL2FP.js";
import "./chunks/chunk-23ZJXTE6.js";
import "./chunks/chunk-YP3UWPI3.js";
import "./chunks/chunk-FBNX22PT.js";
import "./chunks/chunk-JA3FFBR6.js";
import "./chunks/chunk-6BEEJJSZ.js";
import "./chunks/chunk-CGEEEPWU.js";
import "./chunks/chunk-BBNUW6J6.js";
import "./chunks/chunk-6SWNIPKX.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/main.ts
var stop = new AbortController();
function onSignal(signal) {
  if (!stop.signal.aborted) stop.abort(signal);
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.exit(await mainStep(stop.signal));
