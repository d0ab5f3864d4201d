/**
 * The Java side of the contract between the operator and the runtime in the pod (docs/runtime-contract.md): the
 * function container's name, command, directories and ports, the lifecycle and invocation endpoints and their
 * headers, the {@code FC_*} variables, the exit reasons with their exit statuses, and the reader of the termination
 * message. Every other room uses these names instead of spelling them; the Python runtime
 * ({@code src/main/resources/fc-runtime/}) spells the same names, and {@code RuntimeContractMirrorTest} holds the
 * two sides and the document together. A runtime for another language implements this contract.
 *
 * <p>This package depends on {@code api} alone (the hook outcomes and cold-start phases the message carries).
 */
package dev.fc.operator.contract;
