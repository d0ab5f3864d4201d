'use strict';
// The runtime's start: settings, the two ports (the lifecycle port first), the Initializer, and the wait for
// SIGTERM.
const fcCall = require('./fc_call');
const fcConfig = require('./fc_config');
const fcExits = require('./fc_exits');
const fcHttp = require('./fc_http');
const fcInvoke = require('./fc_invoke');
const fcLifecycle = require('./fc_lifecycle');
const fcLoader = require('./fc_loader');
const fcLog = require('./fc_log');
const fcProbes = require('./fc_probes');
const fcSlots = require('./fc_slots');
const fcTermination = require('./fc_termination');
const { watchdog } = require('./fc_watchdog');

function failToStart(path, message) {
  fcLog.diagnostic(message);
  const exit = new fcTermination.Exit(path, () => ({}));
  exit.claim(fcExits.RUNTIME_FAILED, message);
  exit.exitNow();
}

async function main() {
  let config;
  try {
    config = fcConfig.readConfig(process.env);
  } catch (e) {
    if (!(e instanceof fcConfig.ConfigError)) {
      throw e;
    }
    failToStart((process.env.FC_TERMINATION_MESSAGE_PATH || '').trim(), `bad configuration: ${e.message}`);
    return;
  }
  // The lifecycle port's secret is the runtime's, not the function's: out of the environment the user's code and
  // its child processes see (the kernel's copy of the initial environment, /proc/self/environ, still has it).
  delete process.env[fcConfig.LIFECYCLE_TOKEN];
  fcCall.guardProcess();
  watchdog.start();

  const slots = new fcSlots.Slots(config.concurrency);
  const lifecycle = new fcLifecycle.Lifecycle(config, slots, new fcLoader.NodeCode(config));
  const exit = lifecycle.exit;
  // SIGTERM (or SIGINT): drain, PreStop once, exit 0; after PreStop at once; during PreStop when it ends.
  const onSignal = () => {
    exit.claim(fcExits.STOPPED, 'Stopped by SIGTERM');
    lifecycle.stop().finally(() => exit.exitNow());
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const timeouts = { idle: config.httpIdleTimeout, read: config.httpReadTimeout };
  const invoker = new fcInvoke.Invoker(config, slots, lifecycle);
  const probes = fcHttp.createServer(timeouts, ['GET'], ['GET'], (status, errorType, message) => fcHttp
    .textResponse(status, message), fcProbes.probeHandler(lifecycle, config.lifecycleToken));
  const invocations = fcHttp.createServer(timeouts, fcHttp.METHODS, config.handlerType === 'http' ? fcHttp.METHODS
    : ['POST'], (status, errorType, message) => fcInvoke.errorResponse(status, errorType, message),
  invoker.handler());
  try {
    // The lifecycle port first, so the kubelet's first startup probe finds it listening; then the Initializer
    // starts at once, without waiting for a probe; then the invocation port.
    await fcHttp.listen(probes, config.lifecyclePort);
    lifecycle.begin();
    await fcHttp.listen(invocations, config.serverPort);
  } catch (e) {
    failToStart(config.terminationMessagePath, `cannot listen on ports ${config.serverPort} and `
      + `${config.lifecyclePort}: ${e.message}`);
    return;
  }
}

module.exports = { main, failToStart };
