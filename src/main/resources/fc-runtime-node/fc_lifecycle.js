'use strict';
// The instance's life: the Initializer at most once, readiness, stopping, PreStop exactly once, retirement.
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');
const fcCall = require('./fc_call');
const fcExits = require('./fc_exits');
const fcLog = require('./fc_log');
const fcTermination = require('./fc_termination');
const { makeContext } = require('./fc_context');

// The Initializer's states: before and while it runs, then how its call ended (fc_call's outcomes, which the
// termination message's "initializer"/"preStop" entries report as they are).
const NOT_STARTED = 'notStarted';
const RUNNING = 'running';
const { SUCCEEDED, FAILED, TIMEOUT } = fcCall;

function newRequestId() {
  return crypto.randomUUID();
}

function ms(value) {
  return Math.max(0, Math.round(value));
}

class Lifecycle {
  /** code runs the user's side of the hooks (fc_loader.NodeCode); timeouts, once-only and lines are this class's. */
  constructor(config, slots, code) {
    this.config = config;
    this.code = code;
    this.slots = slots;
    this.exit = new fcTermination.Exit(config.terminationMessagePath, (provisional) => this.snapshot(provisional));
    this.initState = NOT_STARTED;
    this.holdUntil = null; //     held startup probes answer 503 from then on (FC_STARTUP_PROBE_HOLD)
    this.initStarted = null; //   performance.now(), whose 0 is the process's start
    this.initEntry = null;
    this.initialized_ = false;
    this.loadError = null; //     the code's load error when no Initializer is configured
    this.initEnded = null;
    this.readyAt = null; //       the first /ready answered 200: the kubelet marks the pod ready
    this.stopping_ = false;
    this.retiring = false;
    this.stopDone = null; //      a promise of PreStop's entry, once the stop began
    this.preStopEntry = null;
    this.preStopStarted = null;
    this.waiters = []; //         held /startup calls: () => void, called when the state or stopping changes
  }

  // ---- Initializer ---------------------------------------------------------------------------------

  /** Starts loading the code and the Initializer, as soon as the lifecycle port listens. At most once. */
  begin() {
    if (this.initState !== NOT_STARTED) {
      return;
    }
    this.initState = RUNNING;
    this.initStarted = performance.now();
    this.holdUntil = this.initStarted + this.config.startupProbeHold * 1000;
    this.changed();
    this.initialize().catch((e) => fcLog.diagnostic(`error while initializing: ${e && e.stack}`));
  }

  changed() {
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** The startup probe, long-polled: resolves to the state once the Initializer has ended, the instance is
   * stopping, or the hold (FC_STARTUP_PROBE_HOLD after the Initializer's start) ran out. */
  awaitStartup() {
    const notBegunUntil = performance.now() + this.config.startupProbeHold * 1000;
    return new Promise((resolve) => {
      const check = () => {
        if (!(this.initState === NOT_STARTED || this.initState === RUNNING) || this.stopping_) {
          resolve(this.initState);
          return;
        }
        const remaining = (this.holdUntil !== null ? this.holdUntil : notBegunUntil) - performance.now();
        if (remaining <= 0) {
          resolve(this.initState);
          return;
        }
        const timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(wake), 1);
          check();
        }, remaining);
        const wake = () => {
          clearTimeout(timer);
          check();
        };
        this.waiters.push(wake);
      };
      check();
    });
  }

  setInitState(state) {
    this.initState = state;
    this.changed();
  }

  async initialize() {
    const config = this.config;
    const requestId = newRequestId();
    const context = makeContext(requestId, config);
    const configured = config.initializer !== null;
    if (configured) {
      fcLog.start('Initialize', requestId);
    }
    const outcome = await fcCall.call((done) => this.code.initialize(context, done),
      configured ? config.initializationTimeout : null, (durationMs) => {
        const error = `Initializer ${config.initializer} timed out after ${config.initializationTimeout} seconds`;
        context.logger.error(`${error} (its code blocked the event loop)`);
        this.initEntry = { status: TIMEOUT, durationMs, error };
        this.initState = TIMEOUT;
        fcLog.end('Initialize', requestId, true);
        this.exit.claim(fcExits.INITIALIZER_TIMEOUT, error);
        this.exit.exitNow();
      });
    if (outcome.status === SUCCEEDED) {
      this.initEnded = performance.now();
      this.initialized_ = true;
      if (configured) {
        this.initEntry = { status: SUCCEEDED, durationMs: outcome.durationMs };
      }
      // On file before the startup probe can pass: a kill from now on still leaves "initialized".
      this.exit.provisional();
      this.setInitState(SUCCEEDED);
      if (configured) {
        fcLog.end('Initialize', requestId);
      }
      return;
    }
    let error;
    let message;
    let state;
    let kind;
    if (outcome.status === TIMEOUT) {
      error = `Initializer ${config.initializer} timed out after ${config.initializationTimeout} seconds`;
      message = error;
      state = TIMEOUT;
      kind = fcExits.INITIALIZER_TIMEOUT;
    } else {
      [error, message] = this.code.failure(outcome);
      state = FAILED;
      kind = fcExits.INITIALIZER_FAILED;
    }
    const entry = configured ? { status: state, durationMs: outcome.durationMs, error } : null;
    this.fail(state, kind, context, error, message, entry, configured ? requestId : null);
  }

  /** The Initializer (or the code's load) failed: logged, recorded, and the process exits. */
  fail(state, kind, context, error, message, entry, requestId) {
    context.logger.error(error);
    if (entry !== null) {
      this.initEntry = entry;
    } else {
      this.loadError = error;
    }
    this.setInitState(state);
    if (requestId !== null) {
      fcLog.end('Initialize', requestId, true);
    }
    this.exit.claim(kind, message);
    // after the held startup probes had their turn to answer 500
    setImmediate(() => this.exit.exitNow());
  }

  initialized() {
    return this.initState === SUCCEEDED;
  }

  /** The readiness probe; its first 200 goes into the termination message's coldStart, written at once. */
  ready() {
    const ready = this.initState === SUCCEEDED && !this.stopping_;
    if (ready && this.readyAt === null) {
      this.readyAt = performance.now();
      this.exit.provisional();
    }
    return ready;
  }

  stopping() {
    return this.stopping_;
  }

  /** null when invocations are taken, else the x-fc-error-type to answer with (status 503). */
  refusal() {
    if (this.stopping_) {
      return 'InstanceStopping';
    }
    if (this.initState !== SUCCEEDED) {
      return 'InstanceNotReady';
    }
    return null;
  }

  // ---- Stopping ------------------------------------------------------------------------------------

  /** Stops taking invocations, drains, runs PreStop once; resolves to PreStop's entry (the same for every call). */
  stop() {
    this.stopping_ = true;
    this.changed();
    if (this.stopDone === null) {
      this.stopDone = (async () => {
        this.slots.close();
        if (!await this.slots.waitIdle(this.config.drainTimeout)) {
          fcLog.diagnostic(`${this.slots.busy()} invocation(s) still running after FC_DRAIN_TIMEOUT `
            + `(${this.config.drainTimeout} s); going on`);
        }
        this.preStopEntry = await this.runPreStop();
        this.exit.provisional();
        return this.preStopEntry;
      })();
    }
    return this.stopDone;
  }

  async runPreStop() {
    const config = this.config;
    if (config.preStop === null) {
      return null;
    }
    if (!this.initialized()) {
      return { status: 'skipped' };
    }
    const requestId = newRequestId();
    const context = makeContext(requestId, config);
    fcLog.start('PreStop', requestId);
    this.preStopStarted = performance.now();
    this.exit.provisional();
    const timedOut = `PreStop ${config.preStop} timed out after ${config.preStopTimeout} seconds`;
    const outcome = await fcCall.call((done) => this.code.preStop(context, done), config.preStopTimeout,
      (durationMs) => {
        this.preStopEntry = { status: TIMEOUT, durationMs, error: timedOut };
        context.logger.error(`${timedOut} (its code blocked the event loop)`);
        fcLog.end('PreStop', requestId, true);
        this.exit.exitNow();
      });
    const entry = { status: outcome.status, durationMs: outcome.durationMs };
    if (outcome.status === TIMEOUT) {
      entry.error = timedOut;
    } else if (outcome.status === FAILED) {
      entry.error = this.code.preStopFailure(outcome);
    }
    if (entry.error !== undefined) {
      context.logger.error(entry.error);
    }
    fcLog.end('PreStop', requestId, entry.error !== undefined);
    return entry;
  }

  /** After an invocation timeout: refuse invocations, drain, PreStop, exit 3 (InvocationTimeout). */
  retire(message) {
    if (this.retiring) {
      return;
    }
    this.retiring = true;
    this.stopping_ = true;
    this.changed();
    this.slots.close();
    this.exit.claim(fcExits.INVOCATION_TIMEOUT, message);
    this.stop().finally(() => this.exit.exitNow());
  }

  /** An invocation blocked the event loop past FC_TIMEOUT: exit 3 at once, PreStop cannot run (fc_watchdog). */
  retireBlocked(message) {
    this.stopping_ = true;
    this.exit.claim(fcExits.INVOCATION_TIMEOUT, message);
    this.exit.exitNow();
  }

  // ---- Termination message -------------------------------------------------------------------------

  /** The termination message's entries as they stand; provisional: a hook still running has no duration. */
  snapshot(provisional = false) {
    const doc = { initialized: this.initialized_ };
    const coldStart = this.coldStart();
    if (Object.keys(coldStart).length > 0) {
      doc.coldStart = coldStart;
    }
    if (this.loadError !== null) {
      doc.error = this.loadError;
    }
    if (this.config.initializer !== null) {
      doc.initializer = Lifecycle.entry(this.initEntry, this.initStarted, provisional);
    }
    if (this.config.preStop !== null) {
      doc.preStop = Lifecycle.entry(this.preStopEntry, this.preStopStarted, provisional);
    }
    return doc;
  }

  /** The phases of the start that are known, in ms; 0 on performance.now()'s clock is the process's start. */
  coldStart() {
    const phases = {};
    if (this.initStarted !== null) {
      phases.initializerStartMs = ms(this.initStarted);
    }
    if (this.initEnded !== null) {
      phases.initializerMs = ms(this.initEnded - this.initStarted);
    }
    if (this.readyAt !== null) {
      phases.readyAfterInitializerMs = ms(this.readyAt - this.initEnded);
    }
    return phases;
  }

  static entry(entry, started, provisional) {
    if (entry !== null) {
      return entry;
    }
    if (started === null) {
      return { status: 'skipped' };
    }
    if (provisional) {
      return { status: 'interrupted' };
    }
    return { status: 'interrupted', durationMs: Math.floor(performance.now() - started) };
  }
}

module.exports = { NOT_STARTED, RUNNING, SUCCEEDED, FAILED, TIMEOUT, Lifecycle, newRequestId };
