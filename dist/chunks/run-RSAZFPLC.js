import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-UE7HBGAT.js";
import "./chunk-L6SCIVV6.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-4LAS63M3.js";
import "./chunk-F64RUE72.js";
import "./chunk-POXGEQTT.js";
import "./chunk-NM2YASEK.js";
import "./chunk-AVUMQHET.js";
import "./chunk-5TW3PBCS.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-MH34LY3G.js";
import "./chunk-ACUH6PQ6.js";
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
