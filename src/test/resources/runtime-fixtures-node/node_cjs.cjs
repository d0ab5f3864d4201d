'use strict';
exports.handler = (event, context, callback) => callback(null, `cjs:${event.toString()}`);
