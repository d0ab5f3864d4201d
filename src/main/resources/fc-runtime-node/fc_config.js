'use strict';
// The runtime's settings, read once from the environment (docs/runtime-contract.md, "Environment").

// The lifecycle port's secret (docs/runtime-contract.md, "Threat model"): the operator issues each pod its own when
// it creates it; the pod template, as `render` prints it, holds TEMPLATE_TOKEN in its place.
const LIFECYCLE_TOKEN = 'FC_LIFECYCLE_TOKEN';
const TEMPLATE_TOKEN = 'set-per-pod-at-creation';
const TOKEN_FORM = /^[A-Za-z0-9_-]{32,256}$/;

class ConfigError extends Error {}

function text(env, name, fallback = '') {
  const value = (env[name] || '').trim();
  return value ? value : fallback;
}

function int(env, name, fallback, minimum) {
  const raw = (env[name] || '').trim();
  if (!raw) {
    return fallback;
  }
  if (!/^[-+]?\d+$/.test(raw)) {
    throw new ConfigError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  }
  const value = Number.parseInt(raw, 10);
  if (value < minimum) {
    throw new ConfigError(`${name} must be at least ${minimum}, got ${value}`);
  }
  return value;
}

function port(env, name, fallback) {
  const value = int(env, name, fallback, 0);
  if (value > 65535) {
    throw new ConfigError(`${name} must be a TCP port, at most 65535, got ${value}`);
  }
  return value;
}

function lifecycleToken(env) {
  const token = env[LIFECYCLE_TOKEN] || '';
  if (token === TEMPLATE_TOKEN) {
    throw new ConfigError(`${LIFECYCLE_TOKEN} is the pod template's placeholder '${TEMPLATE_TOKEN}': the operator `
      + '(and `local`) issues each pod a secret of its own when it creates it, so a pod printed by `render` cannot '
      + 'run as it is');
  }
  if (!TOKEN_FORM.test(token)) {
    throw new ConfigError(`${LIFECYCLE_TOKEN} must be 32 to 256 characters of [A-Za-z0-9_-], the secret the `
      + `lifecycle port requires, got ${token ? `${token.length} character(s)` : 'nothing'}`);
  }
  return token;
}

/** The settings; throws ConfigError for a value the runtime cannot use. */
function readConfig(env = process.env) {
  const c = {};
  c.functionName = text(env, 'FC_FUNCTION_NAME');
  c.serviceName = text(env, 'FC_SERVICE_NAME');
  c.qualifier = text(env, 'FC_QUALIFIER', 'LATEST');
  c.handler = text(env, 'FC_FUNCTION_HANDLER');
  c.handlerType = text(env, 'FC_HANDLER_TYPE', 'event').toLowerCase();
  if (c.handlerType !== 'event' && c.handlerType !== 'http') {
    throw new ConfigError(`FC_HANDLER_TYPE must be event or http, got ${JSON.stringify(c.handlerType)}`);
  }
  c.runtime = text(env, 'FC_RUNTIME');
  c.memory = int(env, 'FC_FUNCTION_MEMORY_SIZE', 512, 1);
  c.timeout = int(env, 'FC_TIMEOUT', 3, 1);
  c.concurrency = int(env, 'FC_INSTANCE_CONCURRENCY', 1, 1);
  c.initializer = text(env, 'FC_INITIALIZER_HANDLER') || null;
  c.initializationTimeout = int(env, 'FC_INITIALIZATION_TIMEOUT', 3, 1);
  // How long a startup probe may be held, counted from when the runtime started the Initializer.
  c.startupProbeHold = int(env, 'FC_STARTUP_PROBE_HOLD', 10 + (c.initializer ? c.initializationTimeout : 0), 1);
  c.preStop = text(env, 'FC_PRESTOP_HANDLER') || null;
  c.preStopTimeout = int(env, 'FC_PRESTOP_TIMEOUT', 3, 1);
  c.drainTimeout = int(env, 'FC_DRAIN_TIMEOUT', c.timeout, 0);
  c.codePath = text(env, 'FC_FUNC_CODE_PATH', '/code/');
  c.region = text(env, 'FC_REGION');
  c.accountId = text(env, 'FC_ACCOUNT_ID');
  c.instanceId = text(env, 'FC_INSTANCE_ID');
  c.serverPort = port(env, 'FC_SERVER_PORT', 9000);
  c.lifecyclePort = port(env, 'FC_LIFECYCLE_PORT', 9001);
  c.terminationMessagePath = text(env, 'FC_TERMINATION_MESSAGE_PATH');
  c.lifecycleToken = lifecycleToken(env);
  // The user's module path (the pod builder sets /code/node_modules:/opt/nodejs/node_modules); fc_loader puts its
  // folders on the search path of the user's CommonJS and ES modules.
  c.nodePath = env.NODE_PATH || '';
  // Bounds on the clients of both ports, not on the handler's run.
  c.httpIdleTimeout = int(env, 'FC_HTTP_IDLE_TIMEOUT', 60, 1);
  c.httpReadTimeout = int(env, 'FC_HTTP_READ_TIMEOUT', 30, 1);
  // The user's own credentials variables (FC's newer runtimes), for context.credentials.
  c.accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID || '';
  c.accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || '';
  c.securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN || '';
  return c;
}

module.exports = { LIFECYCLE_TOKEN, TEMPLATE_TOKEN, ConfigError, readConfig };
