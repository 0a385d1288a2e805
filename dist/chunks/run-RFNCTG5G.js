import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-EPQN5J4N.js";
import "./chunk-SIBGNM73.js";
import "./chunk-EGR3KQAO.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-EM4O54LL.js";
import "./chunk-EOAIOQ57.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-CSQOJJ4X.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-3T7BK253.js";
import "./chunk-WD5QYXZV.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-HJYIK7T2.js";
export {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
