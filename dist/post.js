import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  postStep
} from "./chunks/chunk-QZE6DLGT.js";
import "./chunks/chunk-PXTOMHYK.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-OUYRXRJN.js";
import "./chunks/chunk-DHKLBK3E.js";
import "./chunks/chunk-V7ZH4SAJ.js";
import "./chunks/chunk-4PXDEOI2.js";
import "./chunks/chunk-CGEEEPWU.js";
import "./chunks/chunk-34LTRUHO.js";
import "./chunks/chunk-3T7BK253.js";
import "./chunks/chunk-PHHAPF3Q.js";
import "./chunks/chunk-7O7BFD5M.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/post.ts
await postStep();
