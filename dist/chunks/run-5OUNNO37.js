import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-7W2WP4TY.js";
import "./chunk-BGQBS3F6.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-HXQLEE3N.js";
import "./chunk-ELEEKBQ3.js";
import "./chunk-3SWNC33A.js";
import "./chunk-NM2YASEK.js";
import "./chunk-RIN322UK.js";
import "./chunk-5UYTAWXJ.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-FBNX22PT.js";
import "./chunk-M7S5VH4L.js";
import "./chunk-QTAYOJDJ.js";
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
