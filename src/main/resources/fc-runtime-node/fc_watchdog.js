'use strict';
// JavaScript runs on one thread: user code that never yields (a synchronous endless loop) would stop every timer,
// the hooks' and invocations' timeouts too, and the instance would hang unready for ever. A watchdog thread sees
// the main thread's heartbeat stop while a call is past its deadline, and interrupts the main thread through the
// inspector (Runtime.evaluate runs at V8's next interrupt check, inside the loop): there the call's own timeout
// path runs synchronously (its FC lines, the termination message) and the process exits with the contract's
// status. Code blocked in a system call (execSync, Atomics.wait) is interrupted only when the call returns.
const { Worker } = require('node:worker_threads');
const fcLog = require('./fc_log');

const BLOCKED = Symbol.for('fc-runtime.blocked');
const BEAT_MS = 100;
// How long the heartbeat must have stopped, and a deadline have passed, before the watchdog interrupts.
const GRACE_MS = 500;

function watch() {
  // the watchdog thread: the deadlines of running calls, and the main thread's last beat
  const { parentPort, workerData } = require('node:worker_threads'); // eslint-disable-line global-require
  const inspector = require('node:inspector'); // eslint-disable-line global-require
  const beat = new BigInt64Array(workerData.beat);
  const deadlines = new Map();
  let session = null;
  parentPort.on('message', (m) => (m.end ? deadlines.delete(m.id) : deadlines.set(m.id, m.deadline)));
  setInterval(() => {
    const now = Date.now();
    const last = Number(Atomics.load(beat, 0));
    for (const [id, deadline] of deadlines) {
      if (now > deadline + workerData.grace && now - last > workerData.grace) {
        deadlines.clear();
        session = new inspector.Session();
        session.connectToMainThread();
        session.post('Runtime.evaluate', { expression: `globalThis[Symbol.for('fc-runtime.blocked')](${id})` });
        return;
      }
    }
  }, 250);
}

class Watchdog {
  constructor() {
    this.worker = null;
    this.handlers = new Map(); // call id -> () => void, run on the main thread when the call blocks it
    this.next = 1;
  }

  /** Starts the thread; the runtime goes on without it where it cannot start (no inspector in this Node). */
  start() {
    try {
      const beat = new BigInt64Array(new SharedArrayBuffer(8));
      Atomics.store(beat, 0, BigInt(Date.now()));
      setInterval(() => Atomics.store(beat, 0, BigInt(Date.now())), BEAT_MS).unref();
      globalThis[BLOCKED] = (id) => {
        const handler = this.handlers.get(id);
        if (handler) {
          handler();
        }
      };
      this.worker = new Worker(`(${watch.toString()})()`, { eval: true,
        workerData: { beat: beat.buffer, grace: GRACE_MS }, stdout: false, stderr: false });
      this.worker.unref();
      this.worker.on('error', (e) => fcLog.diagnostic(`the watchdog thread failed: ${e.message}`));
    } catch (e) {
      fcLog.diagnostic(`no watchdog thread (${e.message}): code that blocks the event loop is not timed out`);
      this.worker = null;
    }
  }

  /** Watches a call due to end by timeoutSeconds from now; onBlocked runs if it blocks the main thread past it. */
  begin(timeoutSeconds, onBlocked) {
    const id = this.next++;
    if (this.worker !== null) {
      this.handlers.set(id, onBlocked);
      this.worker.postMessage({ id, deadline: Date.now() + timeoutSeconds * 1000 });
    }
    return id;
  }

  end(id) {
    if (this.handlers.delete(id)) {
      this.worker.postMessage({ id, end: true });
    }
  }
}

module.exports = { Watchdog, watchdog: new Watchdog(), GRACE_MS };
