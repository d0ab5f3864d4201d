'use strict';
// The Node.js runtime's side of the contract's conformance suite (ContractConformanceTest): the same behaviour as
// conformance.py and the reference custom servers (custom-servers/), as CommonJS functions, in both of FC's styles:
//   CONF_INIT     initialize (async): ok (0.3 s), fail (rejects "initializer broke"), fail-big (rejects with
//                 "ü" * 5000 + "x" * 5000, 15 KB of UTF-8), hang (never settles)
//   CONF_PRESTOP  pre_stop (callback style): ok, fail (calls back with "pre-stop broke"), hang (after recording its
//                 call, never calls back)
//   handler       (callback style) echo:TEXT returns TEXT, sleep:SECONDS returns "slept", fail throws "handler broke"
// Each call appends its request id to FIXTURE_OUT/<initializer|pre_stop|invoke> and prints "<id> <call>" (an
// Initializer that fails or hangs records nothing).
const fs = require('fs');
const path = require('path');

const BIG = '\u00fc'.repeat(5000) + 'x'.repeat(5000);

function record(name, requestId) {
  fs.appendFileSync(path.join(process.env.FIXTURE_OUT, name), `${requestId}\n`);
  console.log(`${requestId} ${name}`);
}

exports.initialize = async (context) => {
  const behaviour = process.env.CONF_INIT || 'ok';
  if (behaviour === 'hang') {
    await new Promise(() => {});
  }
  if (behaviour === 'fail') {
    throw new Error('initializer broke');
  }
  if (behaviour === 'fail-big') {
    throw new Error(BIG);
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // long enough for concurrent probes to arrive
  record('initializer', context.requestId);
};

exports.pre_stop = (context, callback) => {
  record('pre_stop', context.requestId);
  const behaviour = process.env.CONF_PRESTOP || 'ok';
  if (behaviour === 'hang') {
    return; // never calls back
  }
  callback(behaviour === 'fail' ? new Error('pre-stop broke') : null);
};

exports.handler = (event, context, callback) => {
  record('invoke', context.requestId);
  const text = event.toString('utf8');
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const argument = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'echo') {
    callback(null, argument);
    return;
  }
  if (kind === 'sleep') {
    setTimeout(() => callback(null, 'slept'), Number(argument) * 1000);
    return;
  }
  throw new Error('handler broke');
};
