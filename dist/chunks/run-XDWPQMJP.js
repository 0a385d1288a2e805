import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-SRPCR7MV.js";
import "./chunk-OM6S76V2.js";
import "./chunk-E2UQUJ7X.js";
import "./chunk-EMZFFGXV.js";
import "./chunk-7TV7MEIW.js";
import "./chunk-5D77347J.js";
import "./chunk-BU6QUBRU.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-CSQOJJ4X.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-EULYFCJG.js";
import "./chunk-3DTBB3TP.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-PQ3PKJSI.js";
import "./chunk-HJYIK7T2.js";
export {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
