import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
} from "./chunk-2AISRSHI.js";
import "./chunk-DIBJF3YB.js";
import "./chunk-H7MSO54P.js";
import "./chunk-BU6QUBRU.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-4FPS36ES.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-ZVOAUNJ6.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";
export {
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
