import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-4F4ZYYLJ.js";
import "./chunk-WGFXJWAN.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-BND4T4TG.js";
import "./chunk-6EF3OJ4G.js";
import "./chunk-XY3OBEKQ.js";
import "./chunk-NM2YASEK.js";
import "./chunk-RIN322UK.js";
import "./chunk-5UYTAWXJ.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-FBNX22PT.js";
import "./chunk-ZUAI6WAL.js";
import "./chunk-635L2CNB.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-ZC7A2QGY.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";
export {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
