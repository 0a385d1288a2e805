import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-RHQGPXZN.js";
import "./chunk-HJYIK7T2.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};
