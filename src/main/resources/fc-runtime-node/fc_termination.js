'use strict';
// The termination message (JSON, at most 4096 bytes) and the process exit that follows it.
const fs = require('node:fs');
const fcLog = require('./fc_log');

const LIMIT = 4096;
const CUT_MARK = '... [truncated]';
// The message of a provisional termination message: what is left when the process is killed.
const KILLED = 'the runtime was killed before it could write why it ended';
// The free-text fields that may be shortened.
const CUTTABLE = [['message'], ['error'], ['initializer', 'error'], ['preStop', 'error']];

/** The first line of text, at most limit characters: for the message meant for humans. */
function oneLine(text, limit = 200) {
  const trimmed = String(text).trim();
  const line = trimmed ? trimmed.split('\n', 1)[0] : '';
  const chars = Array.from(line);
  return chars.length <= limit ? line : `${chars.slice(0, limit).join('')}...`;
}

function dump(doc) {
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

function get(doc, path) {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) {
      return null;
    }
    node = node[key];
  }
  return typeof node === 'string' ? node : null;
}

function set(doc, path, value) {
  let node = doc;
  for (const key of path.slice(0, -1)) {
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

/** UTF-8 JSON of doc, its longest texts cut (on whole characters, so still valid JSON) to fit limit bytes. */
function render(source, limit = LIMIT) {
  const doc = JSON.parse(JSON.stringify(source));
  let data = dump(doc);
  while (data.length > limit) {
    let longest = null;
    for (const path of CUTTABLE) {
      const text = get(doc, path);
      if (text !== null && (longest === null || Array.from(text).length > longest.chars.length)) {
        longest = { path, chars: Array.from(text) };
      }
    }
    if (longest === null || longest.chars.length <= CUT_MARK.length) {
      return dump({ exitReason: doc.exitReason, message: 'termination message too long' });
    }
    let low = 0;
    let high = longest.chars.length - CUT_MARK.length; // the longest prefix that fits, found by bisection
    while (low < high) {
      const middle = Math.floor((low + high + 1) / 2);
      set(doc, longest.path, longest.chars.slice(0, middle).join('') + CUT_MARK);
      if (dump(doc).length <= limit) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    set(doc, longest.path, longest.chars.slice(0, low).join('') + CUT_MARK);
    data = dump(doc);
  }
  return data;
}

/**
 * Records why the process ends (the first claim wins) and ends it after writing the message. Before that,
 * provisional() keeps a message without exitReason in the file, so a process killed without a chance to write
 * (SIGKILL, out of memory) still leaves what it had done.
 */
class Exit {
  constructor(path, snapshot) {
    this.path = path;
    this.snapshot = snapshot; // (provisional) -> {initialized, coldStart, initializer, preStop, error}
    this.claim_ = null;
    this.final = false;
  }

  /** Records why the process ends (an fc_exits kind) unless an earlier claim did; true if this one. */
  claim(kind, message) {
    if (this.claim_ !== null) {
      return false;
    }
    this.claim_ = { reason: kind.reason, code: kind.code, message };
    return true;
  }

  claimed() {
    return this.claim_;
  }

  /** Writes the message as it stands, without exitReason, unless the final one was written. */
  provisional() {
    if (this.final) {
      return;
    }
    let doc;
    try {
      doc = { message: KILLED, ...this.snapshot(true) };
    } catch (e) {
      fcLog.diagnostic(`could not build the termination message: ${e}`);
      return;
    }
    this.write(doc);
  }

  /** Writes the termination message and exits. */
  exitNow() {
    let code = 1;
    try {
      const { reason, code: status, message } = this.claim_ || { reason: 'Stopped', code: 0, message: 'stopped' };
      code = status;
      const doc = { exitReason: reason, message, ...this.snapshot(false) };
      this.final = true;
      this.write(doc);
    } catch (e) {
      fcLog.diagnostic(`could not build the termination message: ${e}`);
    }
    process.exit(code);
  }

  write(doc) {
    if (!this.path) {
      return;
    }
    try {
      fs.writeFileSync(this.path, render(doc));
    } catch (e) {
      fcLog.diagnostic(`could not write the termination message to ${this.path}: ${e.message}`);
    }
  }
}

module.exports = { LIMIT, CUT_MARK, KILLED, oneLine, render, Exit };
