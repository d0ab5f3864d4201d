// An ES module (Node 18+ in FC): export const initialize = async (context) => {}, export const handler.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export const initialize = async (context) => {
  appendFileSync(join(process.env.FIXTURE_OUT, 'initializer'), `${context.requestId}\n`);
};

export const preStop = async (context) => {
  appendFileSync(join(process.env.FIXTURE_OUT, 'pre_stop'), `${context.requestId}\n`);
};

export const handler = async (event, context) => `esm:${event.toString()}:${context.requestId}`;

export const notAFunction = 42;
