import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  QuickJSAsyncWASMModule
} from "./chunk-EMZFFGXV.js";
import "./chunk-7TV7MEIW.js";
import "./chunk-HJYIK7T2.js";
export {
  QuickJSAsyncWASMModule
};
