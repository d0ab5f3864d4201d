'use strict';
// The Node.js runtime's entry point, the pod's command: node /var/fc/runtime/bootstrap.js
// (docs/runtime-contract.md, "The Node.js runtime"). The runtime's modules require each other by relative path and
// Node's own by "node:" names, so nothing in /code or NODE_PATH can take the place of one of them.
const fcMain = require('./fc_main');

fcMain.main().catch((e) => {
  fcMain.failToStart((process.env.FC_TERMINATION_MESSAGE_PATH || '').trim(),
    `the runtime failed: ${e && e.stack ? e.stack : e}`);
});
