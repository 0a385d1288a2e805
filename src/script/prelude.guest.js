/*
 * The guest prelude. Runs inside the QuickJS sandbox, never in Node: the host loads this file
 * as text (esbuild's text loader; a text transform in Jest), evaluates it in the realm before
 * the workflow script and calls the function it evaluates to (startPrelude in prelude.ts).
 *
 * It defines the script API on top of two raw host functions that only take and return JSON
 * strings, so no host object, function or Proxy ever crosses the boundary, and locks down what
 * would break determinism or pretend to reach the host. It returns `deliver`, through which
 * the host settles pending agent() calls in batches.
 *
 * The talk with the host uses built-ins saved before the script runs, so a script that
 * replaces JSON.stringify or Promise.prototype.then breaks only itself. (The host checks
 * every message anyway: this realm is not trusted.)
 *
 * `sharedJson` carries what the host and the guest must agree on: the error codes that end a
 * run (core/errors.ts) and the names of the two globals the rewritten script calls
 * (script/load.ts), as { fatalCodes, mainHook, throwHook }.
 *
 * The file is one parenthesised function expression: its value is what evaluating it returns.
 * It is one long function on purpose: every part of the API closes over the built-ins saved
 * at its top, before any script code can replace them.
 */
// eslint-disable-next-line max-lines-per-function -- one closure over the saved built-ins (see above)
(function (host, argsJson, scriptFile, sharedJson) {
  'use strict'
  const g = globalThis
  const hostSync = host.sync, hostAsync = host.async, hostDone = host.done
  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply, keysOf = Object.keys
  const defineProperty = Object.defineProperty, freeze = Object.freeze, isArray = Array.isArray, createObject = Object.create
  const shared = parse(sharedJson)
  const FATAL_CODES = freeze(shared.fatalCodes), MAIN_HOOK = shared.mainHook, THROW_HOOK = shared.throwHook
  const NativePromise = Promise, then = Promise.prototype.then, resolved = Promise.resolve(), join = Array.prototype.join
  const later = (fn) => apply(then, resolved, [fn])
  const pending = Object.create(null)
  let lastCall = 0

  const SANDBOX = 'workflow scripts run in a sandbox without the environment, files or network: use `args` for inputs, readFile()/glob() to read the workspace, and agent() for the rest'
  const DETERMINISM = 'a replayed run must make the same calls; pass the value in through `args`, or compute it inside an agent'

  class WorkflowError extends Error {
    constructor(info) {
      super(info.message)
      this.name = info.code === 'PARALLEL_FAILED' ? 'ParallelError' : info.code === 'SCRIPT_ERROR' ? 'Error' : 'WorkflowError'
      this.code = info.code
      if (info.line !== undefined) this.line = info.line
      if (info.column !== undefined) this.column = info.column
    }
  }

  // Errors the runtime itself raised, with the code and place it gave them. A run's error code
  // is the runner's own: a script can copy the class (e.constructor) or set .code on anything,
  // but only errors made here count, so a script cannot pass its failure off as STOPPED.
  const genuine = new WeakMap(), remember = WeakMap.prototype.set, recall = WeakMap.prototype.get
  function runtimeError(info) {
    const error = new WorkflowError(info)
    apply(remember, genuine, [error, { code: info.code, line: info.line, column: info.column }])
    return error
  }
  const genuineInfo = (error) => (error !== null && typeof error === 'object' ? apply(recall, genuine, [error]) : undefined)

  /** Line and column of the innermost stack frame in the workflow script ("at f (file:12:5)"). */
  function siteOf(stack) {
    const text = String(stack || '')
    let at = text.indexOf('(' + scriptFile + ':')
    if (at < 0) {
      at = text.indexOf('at ' + scriptFile + ':')
      if (at < 0) return undefined
      at += 2
    }
    const digits = text.slice(at + scriptFile.length + 2).split(':')
    const line = parseInt(digits[0], 10), column = parseInt(digits[1], 10)
    return line > 0 ? { line, column: column > 0 ? column : undefined } : undefined
  }
  const callerSite = () => siteOf(new Error().stack)
  const callerLine = () => { const site = callerSite(); return site && site.line }
  const fail = (code, message) => { throw runtimeError({ code, message, line: callerLine() }) }

  function sync(op, args, line) {
    const reply = parse(hostSync(stringify({ op, args, line })))
    if (reply.ok) return reply.value
    throw runtimeError(reply.error)
  }

  function agent(prompt, options) {
    // The raw stack goes to the host, which finds the call's line far faster than this realm.
    const stack = new Error().stack
    const invalid = (message) => NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'agent(): ' + message, line: (siteOf(stack) || {}).line }))
    if (options !== null && typeof options === 'object')
      for (const key of keysOf(options))
        if (typeof options[key] === 'function') return invalid('option ' + key + ' is a function; options must be plain data')
    let request
    try { request = stringify({ prompt, options, stack }) }
    catch (e) { return invalid('the prompt and options must be plain data (' + e.message + ')') }
    if (typeof request !== 'string') return invalid('the prompt and options must be plain data')
    const id = ++lastCall
    return new NativePromise((resolve, reject) => {
      pending[id] = { resolve, reject }
      send('[' + id + ',' + request + ']')
    })
  }

  // Requests cross to the host in batches: one crossing per burst of agent() calls.
  let outbox = []
  function send(item) {
    if (outbox.length === 0) later(flush)
    outbox[outbox.length] = item
  }
  function flush() {
    const batch = '[' + apply(join, outbox, [',']) + ']'
    outbox = []
    hostAsync(batch)
  }

  /** Called by the host with [[id, reply], ...]: settles those agent() calls. */
  function deliver(batch) {
    const items = parse(batch)
    for (let i = 0; i < items.length; i++) {
      const id = items[i][0], reply = items[i][1], call = pending[id]
      if (!call) continue
      delete pending[id]
      if (reply.ok) call.resolve(reply.value)
      else call.reject(runtimeError(reply.error))
    }
  }

  function describe(value) {
    return value === null ? 'null' : isArray(value) ? 'an array' : typeof value
  }

  /**
   * The code of the first failure that ends the run (a budget, a limit, a stop), when one is
   * genuine. Plain loops: the script may have replaced Array.prototype.map or find.
   */
  function fatalCodeOf(failures) {
    for (let i = 0; i < failures.length; i++) {
      const info = genuineInfo(failures[i].error)
      if (info) for (let j = 0; j < FATAL_CODES.length; j++) if (info.code === FATAL_CODES[j]) return info.code
    }
    return undefined
  }

  /** Settles every item, then returns the values in order or throws one error naming each failure. */
  async function settleAll(what, line, starts) {
    const settled = await NativePromise.allSettled(starts.map((start) => { try { return NativePromise.resolve(start()) } catch (e) { return NativePromise.reject(e) } }))
    const failures = []
    settled.forEach((s, index) => { if (s.status === 'rejected') failures.push({ index, error: s.reason }) })
    if (failures.length === 0) return settled.map((s) => s.value)
    const lines = failures.map(({ index, error }) => {
      const site = error && error.line !== undefined ? error.line : siteOf(error && error.stack) && siteOf(error.stack).line
      return '  [' + index + '] ' + (error && error.message !== undefined ? error.message : String(error)) + (site ? ' (line ' + site + ')' : '')
    })
    const error = runtimeError({
      code: fatalCodeOf(failures) || 'PARALLEL_FAILED',
      message: what + ': ' + failures.length + ' of ' + starts.length + ' items failed (the others completed and are journaled):\n' + lines.join('\n'),
      line,
    })
    error.errors = failures.map(({ index, error }) => Object.assign(error instanceof Error ? error : new Error(String(error)), { index }))
    throw error
  }

  function parallel(thunks) {
    const line = callerLine()
    if (!isArray(thunks)) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'parallel() takes an array of functions, e.g. parallel(items.map((item) => () => agent(...))), got ' + describe(thunks), line }))
    const bad = thunks.findIndex((t) => typeof t !== 'function')
    if (bad >= 0) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'parallel(): item ' + bad + ' is ' + describe(thunks[bad]) + ', not a function; wrap each call: () => agent(...)', line }))
    return settleAll('parallel()', line, thunks)
  }

  function pipeline(items, ...stages) {
    const line = callerLine()
    if (!isArray(items)) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'pipeline(items, ...stages): items must be an array, got ' + describe(items), line }))
    if (stages.length === 0 || stages.some((s) => typeof s !== 'function')) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'pipeline(items, ...stages): give at least one stage, each a function (previous, item, index) => ...', line }))
    return settleAll('pipeline()', line, items.map((item, index) => async () => {
      let value = item
      for (const stage of stages) value = await stage(value, item, index)
      return value
    }))
  }

  function text(parts) {
    let out = ''
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]
      let s
      if (typeof p === 'string') s = p
      else { try { s = stringify(p) } catch { s = undefined } if (typeof s !== 'string') s = String(p) }
      out = i === 0 ? s : out + ' ' + s
    }
    return out
  }
  function log(...parts) { sync('log', [text(parts)], callerLine()) }
  function phase(title, options) { sync('phase', [title, options === undefined ? null : options], callerLine()) }
  function readFile(path) { return sync('readFile', [path], callerLine()) }
  function glob(pattern) { return sync('glob', [pattern], callerLine()) }
  function writeFile(path, text) { sync('writeFile', [path, text], callerLine()) }
  function applyPatch(diff) { return sync('applyPatch', [diff], callerLine()) }
  // Effects: data the Action acts on after the run (the CLI only shows them).
  function effect(args) { sync('effect', args, callerLine()) }
  function report(markdown) { effect(['report', markdown]) }
  const review = freeze({
    comment(path, line, body, options) { effect(['reviewComment', path, line, body, options === undefined ? null : options]) },
    summary(markdown) { effect(['reviewSummary', markdown]) },
  })
  const labels = freeze({
    add(name) { effect(['labelAdd', name]) },
    remove(name) { effect(['labelRemove', name]) },
  })

  const budget = freeze({
    get total() { return sync('budget', []).total },
    get totalUsd() { return sync('budget', []).totalUsd },
    spent() { return sync('budget', []).spent },
    spentUsd() { return sync('budget', []).spentUsd },
    remaining() { return sync('budget', []).remaining },
  })

  function deepFreeze(value) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) { freeze(value); Object.values(value).forEach(deepFreeze) }
    return value
  }

  const api = {
    agent, parallel, pipeline, phase, log, readFile, glob, writeFile, applyPatch, budget, report, review, labels,
    args: deepFreeze(parse(argsJson)),
    console: freeze({ log, info: log, warn: log, error: log, debug: log }),
  }
  for (const name of keysOf(api)) {
    if (typeof api[name] === 'function') freeze(api[name])
    defineProperty(g, name, { value: api[name], writable: false, enumerable: false, configurable: false })
  }

  // ---- determinism: no clock, no randomness, no timers, no GC observation ----
  const RealDate = Date
  function nondeterministic(what) { fail('DETERMINISM', what + ' is not available in workflow scripts: ' + DETERMINISM) }
  const SafeDate = function Date(...a) {
    if (!new.target) nondeterministic('Date()')
    if (a.length === 0) nondeterministic('new Date()')
    return Reflect.construct(RealDate, a, new.target)
  }
  SafeDate.prototype = RealDate.prototype
  SafeDate.UTC = RealDate.UTC
  SafeDate.parse = RealDate.parse
  SafeDate.now = function now() { nondeterministic('Date.now()') }
  freeze(SafeDate)
  // new Date(0).constructor must not lead back to the real Date.
  defineProperty(RealDate.prototype, 'constructor', { value: SafeDate, writable: false, enumerable: false, configurable: false })
  defineProperty(g, 'Date', { value: SafeDate, writable: false, enumerable: false, configurable: false })
  defineProperty(Math, 'random', { value: function random() { nondeterministic('Math.random()') }, writable: false, configurable: false })
  // Which agent answers first differs between a live run and its replay (replayed answers are
  // all there at once), so a race's winner would not replay. parallel() keeps call order.
  const RACE = 'which agent answers first differs between a live run and its replay, so the result would not replay: use parallel() and choose among its results'
  defineProperty(Promise, 'race', { value: function race() { fail('DETERMINISM', 'Promise.race() is not available in workflow scripts: ' + RACE) }, writable: false, configurable: false })
  defineProperty(Promise, 'any', { value: function any() { fail('DETERMINISM', 'Promise.any() is not available in workflow scripts: ' + RACE) }, writable: false, configurable: false })

  // ---- names people reach for that a sandbox does not have: a clear error, not a ReferenceError ----
  const NO_NETWORK = 'there is no network in workflow scripts; ask an agent to fetch it'
  const unavailable = {
    process: SANDBOX, require: SANDBOX, module: SANDBOX, exports: SANDBOX, Buffer: SANDBOX, global: SANDBOX,
    __dirname: SANDBOX, __filename: SANDBOX, Deno: SANDBOX, Bun: SANDBOX,
    fetch: NO_NETWORK, XMLHttpRequest: NO_NETWORK, WebSocket: NO_NETWORK,
    setTimeout: 'timers are not available: ' + DETERMINISM,
    setInterval: 'timers are not available: ' + DETERMINISM,
    setImmediate: 'timers are not available: ' + DETERMINISM,
    performance: 'clocks are not available: ' + DETERMINISM,
    WeakRef: 'garbage collection is not deterministic: ' + DETERMINISM,
    FinalizationRegistry: 'garbage collection is not deterministic: ' + DETERMINISM,
  }
  for (const name of keysOf(unavailable)) {
    const code = unavailable[name] === SANDBOX || unavailable[name] === NO_NETWORK ? 'SCRIPT_ERROR' : 'DETERMINISM'
    delete g[name]
    defineProperty(g, name, { get() { fail(code, name + ' is not available: ' + unavailable[name]) }, enumerable: false, configurable: false })
  }

  // ---- throw sites: a thrown string or plain object has no stack, so note where it was thrown ----
  let lastThrow, threwNull = false
  defineProperty(g, THROW_HOOK, { value: function (value) { lastThrow = callerSite(); threwNull = value === null; return value }, writable: false, enumerable: false, configurable: false })

  // ---- the entry point the rewritten script calls once ----
  function checkSerialisable(value, path, seen) {
    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return
    if (typeof value === 'number') { if (!Number.isFinite(value)) throw path + ' is ' + value; return }
    if (typeof value !== 'object') throw path + ' is a ' + typeof value
    if (seen.includes(value)) throw path + ' refers back to itself (a cycle)'
    const proto = Object.getPrototypeOf(value)
    if (!isArray(value) && proto !== Object.prototype && proto !== null)
      throw path + ' is a ' + ((proto && proto.constructor && proto.constructor.name) || 'class instance') + (value instanceof RealDate ? ' (use .toISOString())' : '') + ', not plain data'
    seen.push(value)
    for (const key of keysOf(value)) checkSerialisable(value[key], isArray(value) ? path + '[' + key + ']' : path + '.' + key, seen)
    seen.pop()
  }
  /** The script's final error as plain data: a code only from the runtime, else SCRIPT_ERROR with the script's own message. */
  function errorInfo(error) {
    // Out of memory, QuickJS throws null when it cannot even allocate the error; a script's own `throw null` passed the throw hook.
    if (error === null && !threwNull) return plain({ code: 'MEMORY_LIMIT', message: 'out of memory' })
    const known = genuineInfo(error)
    const isError = error instanceof Error
    const site = known && known.line !== undefined ? known : isError ? siteOf(error.stack) : lastThrow
    const message = isError ? (known || error.name === 'Error' ? String(error.message) : error.name + ': ' + error.message) : 'the script threw ' + text([error])
    return plain({ code: known ? known.code : 'SCRIPT_ERROR', message, line: site && site.line, column: site && site.column })
  }
  /** Replies are built without a prototype: a toJSON the script put on Object.prototype must not rewrite them. */
  function plain(fields) {
    const out = createObject(null)
    const keys = keysOf(fields)
    for (let i = 0; i < keys.length; i++) out[keys[i]] = fields[keys[i]]
    return out
  }
  let started = false
  defineProperty(g, MAIN_HOOK, { value: function (main) {
    if (started) throw new Error(MAIN_HOOK + ' may run once')
    started = true
    return apply(then, apply(then, resolved, [main]), [
      (value) => {
        try { checkSerialisable(value, 'the result', []) }
        catch (problem) { hostDone(stringify(plain({ ok: false, error: plain({ code: 'NOT_SERIALIZABLE', message: 'the workflow returned a value that is not JSON-serialisable: ' + problem }) }))); return }
        hostDone(stringify(plain({ ok: true, value: value === undefined ? null : value })))
      },
      (error) => {
        let info
        // A Proxy or a getter can make describing the error throw: it is still the script's error.
        try { info = errorInfo(error) } catch { info = plain({ code: 'SCRIPT_ERROR', message: 'the script threw a value that cannot be described' }) }
        hostDone(stringify(plain({ ok: false, error: info })))
      }])
  }, writable: false, enumerable: false, configurable: false })
  return deliver
})
