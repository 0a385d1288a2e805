import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  closest
} from "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";
export {
  closest
};
