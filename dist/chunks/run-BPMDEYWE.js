import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-F5TKSNTL.js";
import "./chunk-MWDJRDIX.js";
import "./chunk-PXTOMHYK.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-OUYRXRJN.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-4PXDEOI2.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-34LTRUHO.js";
import "./chunk-3T7BK253.js";
import "./chunk-PHHAPF3Q.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-HJYIK7T2.js";
export {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
