import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  mainStep
} from "./chunks/chunk-EO2IM47L.js";
import "./chunks/chunk-EGR3KQAO.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-EM4O54LL.js";
import "./chunks/chunk-EOAIOQ57.js";
import "./chunks/chunk-V7ZH4SAJ.js";
import "./chunks/chunk-CSQOJJ4X.js";
import "./chunks/chunk-BDBW6SVH.js";
import "./chunks/chunk-3T7BK253.js";
import "./chunks/chunk-WD5QYXZV.js";
import "./chunks/chunk-7O7BFD5M.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/main.ts
await mainStep();
