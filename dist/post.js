import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  postStep
} from "./chunks/chunk-KFZ4CNIF.js";
import "./chunks/chunk-S3MRREBK.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-EM4O54LL.js";
import "./chunks/chunk-EOAIOQ57.js";
import "./chunks/chunk-V7ZH4SAJ.js";
import "./chunks/chunk-CSQOJJ4X.js";
import "./chunks/chunk-BDBW6SVH.js";
import "./chunks/chunk-3T7BK253.js";
import "./chunks/chunk-U67LANAO.js";
import "./chunks/chunk-UYKUM5MT.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/post.ts
await postStep();
