'use strict';
// Promise style throughout: async initialize(context), async preStop(context), async handler(event, context).
const fs = require('fs');
const path = require('path');

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function record(name, requestId) {
  fs.appendFileSync(path.join(process.env.FIXTURE_OUT, name), `${requestId}\n`);
}

exports.initialize = async (context) => {
  await pause(50);
  record('initializer', context.requestId);
  if (process.env.NODE_FAIL === 'initialize') {
    throw new RangeError('async initializer broke');
  }
};

exports.preStop = async (context) => {
  await pause(10);
  record('pre_stop', context.requestId);
  if (process.env.NODE_FAIL === 'preStop') {
    throw new Error('async pre-stop broke');
  }
};

exports.handler = async (event, context) => {
  record('invoke', context.requestId);
  await pause(10);
  if (event.toString() === 'fail') {
    throw new TypeError('async handler broke');
  }
  return `async:${event.toString()}`;
};

// Errors that escape the call: thrown from a timer, or a promise rejected with nobody to catch it.
exports.throwsLater = (event, context, callback) => {
  setTimeout(() => {
    throw new Error('thrown from a timer');
  }, 10);
};

exports.rejectsUnhandled = async () => {
  Promise.reject(new Error('rejected with nobody to catch it'));
  await pause(2000);
  return 'never';
};

// Result encodings: the event names the value returned.
exports.result = async (event) => {
  const circular = {};
  circular.self = circular;
  const values = {
    string: 'plain text',
    buffer: Buffer.from([0, 1, 2, 255]),
    object: { a: 1, list: [1, 'two'] },
    array: [1, 2, 3],
    undefined,
    null: null,
    number: 42,
    circular,
  };
  return values[event.toString()];
};

// What the code sees of the runtime: its context (without the logger) and the environment.
exports.context = async (event, context) => {
  context.logger.debug('not printed at the default level');
  context.logger.info('hello %s', 'fc');
  context.logger.warn('careful');
  context.logger.error('bad');
  context.logger.log('plain');
  const { logger, ...rest } = context;
  return { context: rest, loggerMethods: Object.keys(logger).sort() };
};

exports.environment = async () => {
  const child = require('child_process').execFileSync('env', { encoding: 'utf8' });
  return {
    tokenInProcessEnv: Object.prototype.hasOwnProperty.call(process.env, 'FC_LIFECYCLE_TOKEN'),
    tokenInChildEnv: child.split('\n').some((l) => l.startsWith('FC_LIFECYCLE_TOKEN=')),
    functionName: process.env.FC_FUNCTION_NAME,
  };
};
