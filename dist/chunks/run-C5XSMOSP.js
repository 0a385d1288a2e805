import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-5YPZTQCT.js";
import "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-JQT7X7FP.js";
import "./chunk-PNUYT6IQ.js";
import "./chunk-UPNGW7ZP.js";
import "./chunk-NM2YASEK.js";
import "./chunk-FAQWL2FP.js";
import "./chunk-23ZJXTE6.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-JA3FFBR6.js";
import "./chunk-6BEEJJSZ.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";
export {
  run,
  startInBackground
};
