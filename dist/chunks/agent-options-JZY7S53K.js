import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  checkAgentCall,
  closest
} from "./chunk-U67LANAO.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-HJYIK7T2.js";
export {
  checkAgentCall,
  closest
};
