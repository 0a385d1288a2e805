import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  postStep
} from "./chunks/chunk-IHXWBON7.js";
import "./chunks/chunk-TNZVIAT3.js";
import "./chunks/chunk-S2WYQFYE.js";
import "./chunks/chunk-WZ5TKJTL.js";
import "./chunks/chunk-NM2YASEK.js";
import "./chunks/chunk-3VN6J4IF.js";
import "./chunks/chunk-DAEOOQR3.js";
import "./chunks/chunk-YP3UWPI3.js";
import "./chunks/chunk-FBNX22PT.js";
import "./chunks/chunk-2THYWDOC.js";
import "./chunks/chunk-ACUH6PQ6.js";
import "./chunks/chunk-CGEEEPWU.js";
import "./chunks/chunk-BBNUW6J6.js";
import "./chunks/chunk-6SWNIPKX.js";
import "./chunks/chunk-DEGYRHQV.js";
import "./chunks/chunk-BT42UOR6.js";
import "./chunks/chunk-2MHCCM7Z.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/post.ts
process.exit(await postStep());
