'use strict';
// The context handed to handlers and hooks, with the field names of FC's Node.js runtime.
const fcLog = require('./fc_log');

/** A fresh context for one hook call or invocation. */
function makeContext(requestId, config) {
  return {
    requestId,
    credentials: {
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      securityToken: config.securityToken,
    },
    function: {
      name: config.functionName,
      handler: config.handler,
      memory: config.memory,
      timeout: config.timeout,
      initializer: config.initializer || undefined,
      initializationTimeout: config.initializer ? config.initializationTimeout : undefined,
    },
    service: {
      name: config.serviceName,
      logProject: '',
      logStore: '',
      qualifier: config.qualifier,
      versionId: '',
    },
    region: config.region,
    accountId: config.accountId,
    instanceId: config.instanceId,
    tracing: { openTracingSpanContext: undefined, openTracingSpanBaggages: undefined, jaegerEndpoint: undefined },
    logger: fcLog.requestLogger(requestId),
  };
}

module.exports = { makeContext };
