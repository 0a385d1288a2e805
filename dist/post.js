import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  postStep
} from "./chunks/chunk-V6TRFA6P.js";
import "./chunks/chunk-K6KAHNQR.js";
import "./chunks/chunk-CMIEAFCA.js";
import "./chunks/chunk-KGOYAOPM.js";
import "./chunks/chunk-NM2YASEK.js";
import "./chunks/chunk-RIN322UK.js";
import "./chunks/chunk-5UYTAWXJ.js";
import "./chunks/chunk-DHKLBK3E.js";
import "./chunks/chunk-FBNX22PT.js";
import "./chunks/chunk-DSSTURWX.js";
import "./chunks/chunk-635L2CNB.js";
import "./chunks/chunk-CGEEEPWU.js";
import "./chunks/chunk-ZC7A2QGY.js";
import "./chunks/chunk-6SWNIPKX.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/post.ts
process.exit(await postStep());
