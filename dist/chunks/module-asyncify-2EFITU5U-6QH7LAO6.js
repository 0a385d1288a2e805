import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  QuickJSAsyncWASMModule
} from "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";
export {
  QuickJSAsyncWASMModule
};
