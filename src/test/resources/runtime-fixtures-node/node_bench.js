'use strict';
// NodeRuntimeBench's handler: the event back as it came (a Buffer: application/octet-stream).
exports.echo = async (event) => event;
