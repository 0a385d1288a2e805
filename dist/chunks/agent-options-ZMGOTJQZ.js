import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  checkAgentCall,
  closest
} from "./chunk-PHHAPF3Q.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-HJYIK7T2.js";
export {
  checkAgentCall,
  closest
};
