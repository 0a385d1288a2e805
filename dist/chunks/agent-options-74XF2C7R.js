import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  checkAgentCall,
  closest
} from "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-WF7O6UEA.js";
export {
  checkAgentCall,
  closest
};
