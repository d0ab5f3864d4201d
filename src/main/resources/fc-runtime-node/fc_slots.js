'use strict';
// At most N invocations at once; the rest wait their turn in arrival order for a bounded time.

const GRANTED = 'granted';
const BUSY = 'busy'; //     no slot freed up within the wait
const CLOSED = 'closed'; // the instance stopped taking invocations

class Slots {
  constructor(limit) {
    this.limit = limit;
    this.used = 0;
    this.waiters = []; // {resolve, timer}, oldest first
    this.closed = false;
    this.idleWaiters = [];
  }

  /** Resolves to GRANTED, BUSY (none within waitSeconds) or CLOSED. */
  acquire(waitSeconds) {
    if (this.closed) {
      return Promise.resolve(CLOSED);
    }
    if (this.used < this.limit && this.waiters.length === 0) {
      this.used += 1;
      return Promise.resolve(GRANTED);
    }
    return new Promise((resolve) => {
      const waiter = { resolve, timer: null };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve(BUSY);
      }, waitSeconds * 1000);
      this.waiters.push(waiter);
    });
  }

  release() {
    const next = this.waiters.shift();
    if (next) { // the slot goes to the longest waiting request
      clearTimeout(next.timer);
      next.resolve(GRANTED);
      return;
    }
    this.used -= 1;
    if (this.used === 0) {
      this.idleWaiters.splice(0).forEach((w) => w(true));
    }
  }

  /** No new invocations; those waiting for a slot are refused at once. */
  close() {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(CLOSED);
    }
  }

  /** Resolves true once no invocation holds a slot, false if some still do after timeoutSeconds. */
  waitIdle(timeoutSeconds) {
    if (this.used === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.splice(this.idleWaiters.indexOf(done), 1);
        resolve(false);
      }, timeoutSeconds * 1000);
      const done = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.idleWaiters.push(done);
    });
  }

  busy() {
    return this.used;
  }
}

module.exports = { GRANTED, BUSY, CLOSED, Slots };
