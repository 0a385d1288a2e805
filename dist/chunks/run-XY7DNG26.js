import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-Y2UEVHO7.js";
import "./chunk-XBN5O5F6.js";
import "./chunk-X3CUIE6U.js";
import "./chunk-EMZFFGXV.js";
import "./chunk-7TV7MEIW.js";
import "./chunk-TC5DQPGY.js";
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
