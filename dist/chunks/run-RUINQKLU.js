import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  RUN_USAGE,
  help,
  run,
  runFlags,
  startInBackground
} from "./chunk-RJU5JQLE.js";
import "./chunk-5RDU7AKV.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";
export {
  RUN_FLAGS,
  RUN_USAGE,
  help,
  run,
  runFlags,
  startInBackground
};
