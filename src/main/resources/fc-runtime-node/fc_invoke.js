'use strict';
// Port 9000: one invocation = Invoke markers around the user's handler, bounded by FC_TIMEOUT.
const crypto = require('node:crypto');
const fcCall = require('./fc_call');
const fcHttp = require('./fc_http');
const fcHttpFn = require('./fc_httpfn');
const fcLog = require('./fc_log');
const fcSlots = require('./fc_slots');
const { makeContext } = require('./fc_context');

const REQUEST_ID_HEADER = 'x-fc-request-id';
const ERROR_TYPE_HEADER = 'x-fc-error-type';
// FC's request ids ("1-65e59b07-1520da26-bf73bbb91b69") and UUIDs fit; the id is printed into FC's log lines, so a
// value that could forge one (", Error: Unhandled function error", a line end) or flood it is not taken.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** FC's error body; errorType is the error's class for handler errors, else errorType. */
function errorResponse(status, errorType, message, stack = [], errorClass = null) {
  return fcHttp.jsonResponse(status, { errorMessage: message, errorType: errorClass || errorType, stackTrace: stack },
    [[ERROR_TYPE_HEADER, errorType]]);
}

/** The caller's x-fc-request-id when it is one valid value, else a new UUID. */
function requestIdOf(req) {
  const given = req.headersDistinct[REQUEST_ID_HEADER] || [];
  return given.length === 1 && REQUEST_ID.test(given[0]) ? given[0] : crypto.randomUUID();
}

function pathOf(target) {
  const path = target.split('?', 1)[0];
  const absolute = /^https?:\/\/[^/]*/i.exec(path);
  return absolute ? path.slice(absolute[0].length) || '/' : path;
}

/** The handler's result as [body, content type]: string, Buffer, an object as JSON, undefined or null empty. */
function encodeResult(value) {
  if (value === undefined || value === null) {
    return [Buffer.alloc(0), 'text/plain; charset=utf-8'];
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return [Buffer.from(value), 'application/octet-stream'];
  }
  if (typeof value === 'string') {
    return [Buffer.from(value, 'utf8'), 'text/plain; charset=utf-8'];
  }
  if (typeof value === 'object') {
    const json = JSON.stringify(value); // throws for a cycle or a BigInt: the invocation fails
    return [Buffer.from(json === undefined ? 'null' : json, 'utf8'), 'application/json'];
  }
  return [Buffer.from(String(value), 'utf8'), 'text/plain; charset=utf-8'];
}

function refused(errorType) {
  return errorResponse(503, errorType, errorType === 'InstanceStopping' ? 'the instance is stopping'
    : 'the instance is not initialized');
}

class Invoker {
  constructor(config, slots, lifecycle) {
    this.config = config;
    this.slots = slots;
    this.lifecycle = lifecycle;
    this.http = config.handlerType === 'http';
  }

  /** The invocation port's request handler. */
  handler() {
    return async (req, res) => {
      const requestId = requestIdOf(req);
      const answer = (response) => {
        response.headers.push([REQUEST_ID_HEADER, requestId]);
        return fcHttp.send(res, response);
      };
      if (!this.http) {
        if (pathOf(req.url) !== '/invoke') {
          answer(errorResponse(404, 'NotFound', 'event functions are invoked with POST /invoke'));
          return;
        }
        if (req.method !== 'POST') {
          answer(errorResponse(405, 'MethodNotAllowed', 'event functions are invoked with POST /invoke'));
          return;
        }
      }
      const body = await fcHttp.readBody(req);
      await this.handle(requestId, req, body, answer);
    };
  }

  async handle(requestId, req, body, answer) {
    let refusal = this.lifecycle.refusal();
    if (refusal !== null) {
      answer(refused(refusal));
      return;
    }
    const got = await this.slots.acquire(this.config.timeout);
    if (got === fcSlots.BUSY) {
      answer(errorResponse(429, 'ConcurrencyLimitExceeded', `no free slot within ${this.config.timeout} seconds: `
        + `FC_INSTANCE_CONCURRENCY is ${this.config.concurrency}`));
      return;
    }
    if (got === fcSlots.CLOSED) {
      answer(refused('InstanceStopping'));
      return;
    }
    try {
      refusal = this.lifecycle.refusal();
      answer(refusal !== null ? refused(refusal) : await this.run(requestId, req, body, answer));
    } finally {
      this.slots.release();
    }
  }

  async run(requestId, req, body, answer) {
    const config = this.config;
    const context = makeContext(requestId, config);
    const handler = this.lifecycle.code.functions.handler;
    fcLog.start('Invoke', requestId);
    const retired = `Invocation ${requestId} ran past FC_TIMEOUT (${config.timeout} s); the instance was retired`;
    const timedOut = `Function timed out after ${config.timeout} seconds`;
    const onBlocked = () => {
      context.logger.error(`${timedOut} (its code blocked the event loop)`);
      fcLog.end('Invoke', requestId, true);
      // written at once (the socket takes it whole), before the exit
      answer(errorResponse(this.http ? 504 : 200, 'FunctionTimeout', timedOut));
      this.lifecycle.retireBlocked(retired);
    };
    let outcome;
    if (this.http) {
      const request = fcHttpFn.makeRequest(req, body);
      outcome = await fcCall.call((done) => {
        const returned = handler(request, fcHttpFn.makeResponse(done), context);
        if (returned && typeof returned.then === 'function') {
          returned.then(null, (e) => done(fcCall.asError(e)));
        }
      }, config.timeout, onBlocked);
    } else {
      outcome = await fcCall.call((done) => fcCall.callUser(handler, [body, context], 3, done), config.timeout,
        onBlocked);
    }
    if (outcome.status === fcCall.TIMEOUT) {
      const message = timedOut;
      context.logger.error(message);
      fcLog.end('Invoke', requestId, true);
      this.lifecycle.retire(retired);
      return errorResponse(this.http ? 504 : 200, 'FunctionTimeout', message);
    }
    if (outcome.status === fcCall.SUCCEEDED) {
      try {
        const response = this.answer(outcome.value);
        fcLog.end('Invoke', requestId);
        return response;
      } catch (e) {
        outcome = new fcCall.Outcome(fcCall.FAILED, outcome.durationMs, undefined, e);
      }
    }
    context.logger.error(outcome.stackText());
    fcLog.end('Invoke', requestId, true);
    return errorResponse(this.http ? 502 : 200, 'UnhandledInvocationError', outcome.errorMessage(), outcome.stack(),
      outcome.errorType());
  }

  answer(value) {
    if (this.http) {
      return fcHttp.response(value.status, value.body, value.headers);
    }
    const [body, contentType] = encodeResult(value);
    return fcHttp.response(200, body, [['Content-Type', contentType]]);
  }
}

module.exports = { REQUEST_ID_HEADER, ERROR_TYPE_HEADER, errorResponse, requestIdOf, encodeResult, Invoker };
