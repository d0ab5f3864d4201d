'use strict';
// Code that never yields to the event loop (NODE_BLOCK names the call): the runtime's timers cannot fire; its
// watchdog thread interrupts it.
exports.initialize = (context) => {
  if (process.env.NODE_BLOCK === 'initialize') {
    for (;;) { /* spins */ }
  }
};

exports.preStop = (context) => {
  if (process.env.NODE_BLOCK === 'preStop') {
    for (;;) { /* spins */ }
  }
};

exports.handler = (event, context, callback) => {
  if (event.toString() === 'block') {
    for (;;) { /* spins */ }
  }
  callback(null, 'fine');
};
