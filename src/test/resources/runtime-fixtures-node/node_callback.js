'use strict';
// Callback style throughout (FC's classic CommonJS form): initialize(context, callback), preStop(context, callback),
// handler(event, context, callback). "fail" makes each call back with an error.
const fs = require('fs');
const path = require('path');

function record(name, requestId) {
  fs.appendFileSync(path.join(process.env.FIXTURE_OUT, name), `${requestId}\n`);
}

exports.initialize = function (context, callback) {
  setTimeout(() => {
    record('initializer', context.requestId);
    callback(process.env.NODE_FAIL === 'initialize' ? new Error('callback initializer broke') : null, 'ignored');
  }, 50);
};

exports.preStop = function (context, callback) {
  record('pre_stop', context.requestId);
  setTimeout(() => callback(process.env.NODE_FAIL === 'preStop' ? new Error('callback pre-stop broke') : null), 10);
};

exports.handler = function (event, context, callback) {
  record('invoke', context.requestId);
  if (event.toString() === 'fail') {
    setTimeout(() => callback(new TypeError('callback handler broke')), 10);
    return;
  }
  setTimeout(() => callback(null, `callback:${event.toString()}`), 10);
};
