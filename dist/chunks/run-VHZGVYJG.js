import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-VIPGBVT2.js";
import "./chunk-E23N7TQO.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-K6KAHNQR.js";
import "./chunk-CMIEAFCA.js";
import "./chunk-KGOYAOPM.js";
import "./chunk-NM2YASEK.js";
import "./chunk-RIN322UK.js";
import "./chunk-5UYTAWXJ.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-FBNX22PT.js";
import "./chunk-DSSTURWX.js";
import "./chunk-635L2CNB.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-ZC7A2QGY.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";
export {
  run,
  startInBackground
};
