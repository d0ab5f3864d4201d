'use strict';
// Port 9001, for the kubelet only: GET /startup (long-polled), /ready and /pre-stop, each with the pod's secret.
const crypto = require('node:crypto');
const fcHttp = require('./fc_http');
const fcLifecycle = require('./fc_lifecycle');

// Where a request carries the pod's secret (docs/runtime-contract.md, "Threat model"): the probes send it as a
// header; the preStop hook also in its path's query, since kubelets before 1.26 send a hook's httpGet without its
// httpHeaders.
const TOKEN_HEADER = 'X-Fc-Lifecycle-Token';
const TOKEN_PARAMETER = 'token';

/** The path of a request target, repeated leading slashes folded: Kubernetes 1.20 sends "GET //pre-stop". */
function requestPath(target) {
  const path = target.split('?', 1)[0];
  return `/${path.replace(/^\/+/, '')}`;
}

/** Every value of the secret a request carries, in its header fields and its query. */
function offeredTokens(req) {
  const values = [...(req.headersDistinct[TOKEN_HEADER.toLowerCase()] || [])];
  const query = req.url.indexOf('?');
  if (query >= 0) {
    try {
      values.push(...new URLSearchParams(req.url.slice(query + 1)).getAll(TOKEN_PARAMETER));
    } catch (e) {
      // a query that cannot be parsed carries no token
    }
  }
  return values;
}

function digest(value) {
  return crypto.createHash('sha256').update(Buffer.from(value, 'latin1')).digest();
}

/** True when the request offers the secret and nothing else: each value compared in constant time. */
function authorized(offered, token) {
  const expected = digest(token);
  const results = offered.map((value) => crypto.timingSafeEqual(digest(value), expected));
  return results.length > 0 && results.every(Boolean);
}

const text = fcHttp.textResponse;

/** The lifecycle port's request handler. */
function probeHandler(lifecycle, token) {
  return async (req, res) => {
    if (!authorized(offeredTokens(req), token)) {
      // before the path is looked at: without the secret, nothing is read of the instance or changed in it
      fcHttp.send(res, text(403, 'forbidden: the lifecycle port answers only the kubelet, whose requests carry '
        + `the pod's secret (header ${TOKEN_HEADER})`));
      return;
    }
    const path = requestPath(req.url);
    if (path === '/startup') {
      const state = await lifecycle.awaitStartup();
      if (state === fcLifecycle.SUCCEEDED) {
        fcHttp.send(res, text(200, 'initialized'));
      } else if (state === fcLifecycle.FAILED || state === fcLifecycle.TIMEOUT) {
        fcHttp.send(res, text(500, `initializer ${state}`));
      } else { // the hold ran out, or the instance is stopping
        fcHttp.send(res, text(503, state === fcLifecycle.RUNNING && !lifecycle.stopping() ? 'initializing'
          : 'stopping'));
      }
    } else if (path === '/ready') {
      fcHttp.send(res, lifecycle.ready() ? text(200, 'ready') : text(503, 'not ready'));
    } else if (path === '/pre-stop') {
      const entry = await lifecycle.stop();
      fcHttp.send(res, fcHttp.jsonResponse(200, entry !== null ? entry : { status: 'notConfigured' }));
    } else {
      fcHttp.send(res, text(404, 'not found'));
    }
  };
}

module.exports = { TOKEN_HEADER, TOKEN_PARAMETER, requestPath, offeredTokens, authorized, probeHandler };
