'use strict';
// stdout as FC prints it: the hook and invocation markers and the user's request logger; the runtime's own
// remarks on stderr. Writes to a pipe or a file are synchronous in Node on Linux, so nothing is lost at exit.
const util = require('node:util');

const ERROR_SUFFIX = ', Error: Unhandled function error';
// The logger's levels, FC's Node.js names; lines below info are not printed (as the Python runtime's).
const LEVELS = { debug: 10, info: 20, log: 20, warn: 30, error: 40 };
const THRESHOLD = LEVELS.info;

function write(stream, text) {
  try {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  } catch (e) {
    // nobody reads the stream any more: the hooks must still run and the process still exit
  }
}

/** Whole lines to stdout in one write. */
function emit(text) {
  write(process.stdout, text);
}

/** One line on stderr, `fc-runtime: ` first; a line end in text is escaped, so it cannot pass for another line. */
function diagnostic(text) {
  write(process.stderr, `fc-runtime: ${String(text).replace(/\r/g, '\\r').replace(/\n/g, '\\n')}`);
}

function start(kind, requestId) {
  emit(`FC ${kind} Start RequestId: ${requestId}`);
}

function end(kind, requestId, failed = false) {
  emit(`FC ${kind} End RequestId: ${requestId}${failed ? ERROR_SUFFIX : ''}`);
}

/** FC's Node.js format: `2024-03-04T09:57:28.192Z <request id> [info] message` (UTC, ISO 8601, milliseconds). */
function formatLine(requestId, level, args) {
  return `${new Date().toISOString()} ${requestId} [${level}] ${util.format(...args)}`;
}

/** context.logger: debug, info, warn, error and log (as info), each line carrying the request id. */
function requestLogger(requestId) {
  const logger = {};
  for (const [name, rank] of Object.entries(LEVELS)) {
    const level = name === 'log' ? 'info' : name;
    logger[name] = (...args) => {
      if (rank >= THRESHOLD) {
        emit(formatLine(requestId, level, args));
      }
    };
  }
  return Object.freeze(logger);
}

module.exports = { ERROR_SUFFIX, emit, diagnostic, start, end, formatLine, requestLogger };
