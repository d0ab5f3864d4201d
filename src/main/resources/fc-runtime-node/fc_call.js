'use strict';
// Runs a user function, callback style or promise style, bounded by a timeout. A call that times out cannot be
// stopped (as a Python thread cannot): it is abandoned, and what it does later is ignored. An exception thrown
// or a promise rejected unhandled in the call's asynchronous continuations (timers, I/O callbacks) is traced back
// to the call through an AsyncLocalStorage and fails it, instead of ending the process.
const path = require('node:path');
const { AsyncLocalStorage } = require('node:async_hooks');
const { performance } = require('node:perf_hooks');
const fcLog = require('./fc_log');
const { watchdog } = require('./fc_watchdog');

const SUCCEEDED = 'succeeded';
const FAILED = 'failed';
const TIMEOUT = 'timeout';

const RUNTIME_DIR = __dirname + path.sep;
const calls = new AsyncLocalStorage();

/** An error value as an Error: a callback or a rejection may pass anything (a string, undefined). */
function asError(value) {
  if (value instanceof Error) {
    return value;
  }
  if (value !== null && typeof value === 'object' && typeof value.message === 'string') {
    return value;
  }
  const e = new Error(value === undefined ? 'the function failed with undefined' : String(value));
  e.stack = `Error: ${e.message}`; // the runtime's frames say nothing of where the user's code failed
  return e;
}

/**
 * The stack's frames of the user's (`at f (/code/index.js:3:9)`): those before the first of the runtime's (the ones
 * after it are the runtime's callers), without Node's own.
 */
function userFrames(error) {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const frames = stack.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('at '));
  const runtime = frames.findIndex((l) => l.includes(RUNTIME_DIR));
  return (runtime < 0 ? frames : frames.slice(0, runtime))
    .filter((l) => !/\(node:|at node:|\(internal\/|at internal\//.test(l));
}

class Outcome {
  constructor(status, durationMs, value, error) {
    this.status = status;
    this.durationMs = durationMs;
    this.value = value;
    this.error = error === undefined ? null : asError(error);
  }

  errorType() {
    if (this.error === null) {
      return '';
    }
    return this.error.name || (this.error.constructor && this.error.constructor.name) || 'Error';
  }

  errorMessage() {
    return this.error === null ? '' : String(this.error.message);
  }

  stack() {
    return this.error === null ? [] : userFrames(this.error);
  }

  /** `Type: message` and the user's frames, as Node prints an error. */
  stackText() {
    if (this.error === null) {
      return '';
    }
    return [`${this.errorType()}: ${this.errorMessage()}`, ...this.stack().map((l) => `    ${l}`)].join('\n');
  }
}

/**
 * Calls fn(...args) the FC way: with a callback when fn declares callbackArity parameters or more (the callback
 * being the last), else its return value, awaited when it is a promise. done(error, value) is called once.
 */
function callUser(fn, args, callbackArity, done) {
  if (fn.length >= callbackArity) {
    const returned = fn(...args, (error, value) => (error !== null && error !== undefined
      ? done(asError(error)) : done(null, value)));
    if (returned && typeof returned.then === 'function') {
      // async function (event, context, callback): its rejection fails the call; a value it resolves to counts
      returned.then((value) => value !== undefined && done(null, value), (error) => done(asError(error)));
    }
    return;
  }
  const returned = fn(...args);
  if (returned && typeof returned.then === 'function') {
    returned.then((value) => done(null, value), (error) => done(asError(error)));
  } else {
    done(null, returned);
  }
}

/**
 * Runs start(done), where start begins the user's call and done(error, value) ends it (the first call counts),
 * bounded by timeoutSeconds (null: none). Resolves to an Outcome. onBlocked (with a timeout) is the call's timeout
 * path for when its code blocks the event loop past the timeout (fc_watchdog): it runs synchronously, inside the
 * blocked code, and must end the process.
 */
function call(start, timeoutSeconds, onBlocked = null) {
  return new Promise((resolve) => {
    const began = performance.now();
    let timer = null;
    let watched = null;
    const record = { over: false, fail: null };
    const finish = (status, value, error) => {
      if (record.over) {
        return;
      }
      record.over = true;
      if (timer !== null) {
        clearTimeout(timer);
      }
      if (watched !== null) {
        watchdog.end(watched);
      }
      resolve(new Outcome(status, Math.floor(performance.now() - began), value, error));
    };
    record.fail = (error) => finish(FAILED, undefined, asError(error));
    if (timeoutSeconds !== null) {
      // Node's timers are whole milliseconds on the loop's clock and may fire a fraction early by
      // performance.now(): re-armed until the timeout has truly passed, so a call cut at it lasted at least it
      const expire = () => {
        const left = timeoutSeconds * 1000 - (performance.now() - began);
        if (left > 0) {
          timer = setTimeout(expire, Math.ceil(left));
        } else {
          finish(TIMEOUT);
        }
      };
      timer = setTimeout(expire, timeoutSeconds * 1000);
      if (onBlocked !== null) {
        watched = watchdog.begin(timeoutSeconds, () => {
          if (!record.over) {
            record.over = true;
            onBlocked(Math.floor(performance.now() - began));
          }
        });
      }
    }
    calls.run(record, () => {
      try {
        start((error, value) => (error ? finish(FAILED, undefined, error) : finish(SUCCEEDED, value)));
      } catch (e) {
        finish(FAILED, undefined, e);
      }
    });
  });
}

function escaped(error, kind) {
  const record = calls.getStore();
  if (record && !record.over) {
    record.fail(error);
    return;
  }
  const e = asError(error);
  fcLog.diagnostic(`${kind} outside of a running call of the function's code (ignored): ${e.name || 'Error'}: `
    + `${e.message}${record ? ' (its call had ended)' : ''}`);
}

/** From now on an error escaping the user's code fails the call it came from, and never ends the process. */
function guardProcess() {
  process.on('uncaughtException', (error) => escaped(error, 'an uncaught exception'));
  process.on('unhandledRejection', (error) => escaped(error, 'an unhandled rejection'));
}

module.exports = { SUCCEEDED, FAILED, TIMEOUT, Outcome, asError, userFrames, callUser, call, guardProcess };
