import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  mainStep
} from "./chunks/chunk-MXL7KGLG.js";
import "./chunks/chunk-X3CUIE6U.js";
import "./chunks/chunk-EMZFFGXV.js";
import "./chunks/chunk-7TV7MEIW.js";
import "./chunks/chunk-TC5DQPGY.js";
import "./chunks/chunk-BU6QUBRU.js";
import "./chunks/chunk-V7ZH4SAJ.js";
import "./chunks/chunk-CSQOJJ4X.js";
import "./chunks/chunk-BDBW6SVH.js";
import "./chunks/chunk-EULYFCJG.js";
import "./chunks/chunk-3DTBB3TP.js";
import "./chunks/chunk-UYKUM5MT.js";
import "./chunks/chunk-PQ3PKJSI.js";
import "./chunks/chunk-HJYIK7T2.js";

// src/action/main.ts
await mainStep();
