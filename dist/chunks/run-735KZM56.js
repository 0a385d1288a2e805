import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-ANVWL6VW.js";
import "./chunk-QUIHDSOO.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-5X7LWDN3.js";
import "./chunk-ON5QNZIC.js";
import "./chunk-XCMMVKNY.js";
import "./chunk-NM2YASEK.js";
import "./chunk-FAQWL2FP.js";
import "./chunk-23ZJXTE6.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-5JSO45WV.js";
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
