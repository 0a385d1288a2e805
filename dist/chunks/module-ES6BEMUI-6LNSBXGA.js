import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  QuickJSModuleCallbacks,
  QuickJSWASMModule,
  applyBaseRuntimeOptions,
  applyModuleEvalRuntimeOptions
} from "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";
export {
  QuickJSModuleCallbacks,
  QuickJSWASMModule,
  applyBaseRuntimeOptions,
  applyModuleEvalRuntimeOptions
};
