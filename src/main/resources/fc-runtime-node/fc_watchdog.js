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
  // the watchdog thread: reads the main thread's last beat and the earliest deadline of its running calls
  const { workerData } = require('node:worker_threads'); // eslint-disable-line global-require
  const inspector = require('node:inspector'); // eslint-disable-line global-require
  const shared = new BigInt64Array(workerData.shared);
  const timer = setInterval(() => {
    const now = Date.now();
    const deadline = Number(Atomics.load(shared, 1)); // 0: no call with a deadline is running
    if (deadline > 0 && now > deadline + workerData.grace && now - Number(Atomics.load(shared, 0)) > workerData.grace) {
      clearInterval(timer);
      const session = new inspector.Session();
      session.connectToMainThread();
      session.post('Runtime.evaluate', { expression: "globalThis[Symbol.for('fc-runtime.blocked')]()" });
    }
  }, 250);
}

class Watchdog {
  constructor() {
    this.shared = null; // [the main thread's last beat, the earliest deadline], ms since the epoch
    this.running = new Map(); // call id -> {deadline, onBlocked}
    this.earliest = 0;
    this.next = 1;
  }

  /** Starts the thread; the runtime goes on without it where it cannot start (no inspector in this Node). */
  start() {
    try {
      const shared = new BigInt64Array(new SharedArrayBuffer(16));
      Atomics.store(shared, 0, BigInt(Date.now()));
      setInterval(() => Atomics.store(shared, 0, BigInt(Date.now())), BEAT_MS).unref();
      globalThis[BLOCKED] = () => this.blocked();
      const worker = new Worker(`(${watch.toString()})()`, { eval: true,
        workerData: { shared: shared.buffer, grace: GRACE_MS }, stdout: false, stderr: false });
      worker.unref();
      worker.on('error', (e) => fcLog.diagnostic(`the watchdog thread failed: ${e.message}`));
      this.shared = shared;
    } catch (e) {
      fcLog.diagnostic(`no watchdog thread (${e.message}): code that blocks the event loop is not timed out`);
    }
  }

  /** On the main thread, inside the blocked code: the timeout path of the call whose deadline passed first. */
  blocked() {
    let first = null;
    for (const call of this.running.values()) {
      if (first === null || call.deadline < first.deadline) {
        first = call;
      }
    }
    if (first !== null) {
      first.onBlocked();
    }
  }

  /** Watches a call due to end by timeoutSeconds from now; onBlocked runs if it blocks the main thread past it. */
  begin(timeoutSeconds, onBlocked) {
    const id = this.next++;
    if (this.shared !== null) {
      const deadline = Date.now() + timeoutSeconds * 1000;
      this.running.set(id, { deadline, onBlocked });
      if (this.earliest === 0 || deadline < this.earliest) {
        this.publish(deadline);
      }
    }
    return id;
  }

  end(id) {
    const call = this.running.get(id);
    if (call === undefined) {
      return;
    }
    this.running.delete(id);
    if (call.deadline === this.earliest) {
      let earliest = 0;
      for (const other of this.running.values()) {
        if (earliest === 0 || other.deadline < earliest) {
          earliest = other.deadline;
        }
      }
      this.publish(earliest);
    }
  }

  publish(deadline) {
    this.earliest = deadline;
    Atomics.store(this.shared, 1, BigInt(deadline));
  }
}

module.exports = { Watchdog, watchdog: new Watchdog(), GRACE_MS };
