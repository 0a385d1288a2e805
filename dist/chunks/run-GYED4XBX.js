import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  run,
  startInBackground
} from "./chunk-5L3RZ4DI.js";
import "./chunk-BYIEXBXL.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-T2C3BEXD.js";
import "./chunk-YZSKJBEA.js";
import "./chunk-ZWTPJBUH.js";
import "./chunk-NM2YASEK.js";
import "./chunk-UWAFSBQ5.js";
import "./chunk-S3G6CNPV.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-C2X7LEM7.js";
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
