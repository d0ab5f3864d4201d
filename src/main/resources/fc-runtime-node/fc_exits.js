'use strict';
// Why the runtime's process ends: each reason with its exit status, named once (docs/runtime-contract.md). The
// operator reads the reason from the termination message's "exitReason" and the status from the exit code.

function exitKind(reason, code) {
  return Object.freeze({ reason, code });
}

const STOPPED = exitKind('Stopped', 0); //                      SIGTERM (or SIGINT): drained, PreStop run
const INITIALIZER_FAILED = exitKind('InitializerFailed', 1); //  the Initializer failed, or the code could not load
const INITIALIZER_TIMEOUT = exitKind('InitializerTimeout', 2); // the Initializer ran past FC_INITIALIZATION_TIMEOUT
const INVOCATION_TIMEOUT = exitKind('InvocationTimeout', 3); //  an invocation ran past FC_TIMEOUT: retired
const RUNTIME_FAILED = exitKind('RuntimeFailed', 4); //          bad configuration, or a port it cannot listen on

const ALL = [STOPPED, INITIALIZER_FAILED, INITIALIZER_TIMEOUT, INVOCATION_TIMEOUT, RUNTIME_FAILED];

module.exports = { STOPPED, INITIALIZER_FAILED, INITIALIZER_TIMEOUT, INVOCATION_TIMEOUT, RUNTIME_FAILED, ALL };
