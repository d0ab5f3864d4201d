'use strict';
// Loads the user's functions (`file.method`) from the code folder: index.handler is the export "handler" of
// /code/index.js, index.mjs or index.cjs (in that order). CommonJS by require(), ES modules (.mjs, or .js in a
// package whose package.json says "type": "module") by import().
const fs = require('node:fs');
const path = require('node:path');
const childProcess = require('node:child_process');
const nodeModule = require('node:module');
const { pathToFileURL } = require('node:url');
const fcCall = require('./fc_call');
const fcTermination = require('./fc_termination');

const EXTENSIONS = ['.js', '.mjs', '.cjs'];

/**
 * The code could not be loaded. The first line, which becomes the termination message's one line, names the hook
 * or handler, then the file and line where loading failed and why; the user's frames may follow.
 */
class LoadError extends Error {}

/** The folders of NODE_PATH, absolute (relative ones from the working directory), empty ones skipped. */
function nodePathFolders(nodePath) {
  const folders = [];
  for (const entry of nodePath.split(path.delimiter)) {
    const folder = entry ? path.resolve(entry) : null;
    if (folder && !folders.includes(folder)) {
      folders.push(folder);
    }
  }
  return folders;
}

/** Whether a .js file is an ES module: the nearest package.json above it says "type": "module". */
function isModulePackage(file) {
  let dir = path.dirname(file);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
      } catch (e) {
        return false; // Node itself reports a package.json it cannot read when it loads the file
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return false;
    }
    dir = parent;
  }
}

/** `file:line` of a stack line `at f (/code/lib.js:4:9)` or `at /code/lib.js:4:9` (file:// URLs as paths). */
function frameOf(line) {
  const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/.exec(line);
  if (!m) {
    return null;
  }
  return { file: m[1].startsWith('file://') ? decodeURIComponent(m[1].slice('file://'.length)) : m[1],
    line: Number(m[2]) };
}

class Loader {
  constructor(config) {
    this.codePath = path.resolve(config.codePath);
    this.folders = [this.codePath, ...nodePathFolders(config.nodePath)];
    this.nodePath = nodePathFolders(config.nodePath);
    this.modules = new Map(); // file -> its exports (a module namespace for an ES module)
    this.esmPathsRegistered = false;
  }

  async loadAll(config) {
    if (!config.handler) {
      throw new LoadError('Handler: FC_FUNCTION_HANDLER is not set');
    }
    const initializer = config.initializer ? await this.loadFunction('Initializer', config.initializer) : null;
    const preStop = config.preStop ? await this.loadFunction('PreStop', config.preStop) : null;
    const handler = await this.loadFunction('Handler', config.handler);
    return { handler, initializer, preStop };
  }

  /** The function spec names ("index.handler": export handler of /code/index.js, .mjs or .cjs). */
  async loadFunction(what, spec) {
    const dot = spec.lastIndexOf('.');
    const moduleName = dot > 0 ? spec.slice(0, dot) : '';
    const name = dot > 0 ? spec.slice(dot + 1) : '';
    if (!moduleName || !name) {
      throw new LoadError(`${what} "${spec}" is not of the form file.method (for example index.handler)`);
    }
    const candidates = EXTENSIONS.map((ext) => path.resolve(this.codePath, moduleName + ext));
    const file = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file) {
      throw new LoadError(`${what} "${spec}": file ${candidates.slice(0, -1).join(', ')} or `
        + `${candidates[candidates.length - 1]} not found`);
    }
    const exported = await this.load(what, spec, file);
    const fn = exported === null || exported === undefined ? undefined : exported[name];
    if (fn === undefined) {
      throw new LoadError(`${what} "${spec}": ${file} has no function "${name}"`);
    }
    if (typeof fn !== 'function') {
      throw new LoadError(`${what} "${spec}": "${name}" in ${file} is not a function`);
    }
    return fn;
  }

  async load(what, spec, file) {
    if (this.modules.has(file)) {
      return this.modules.get(file);
    }
    const esm = file.endsWith('.mjs') || (file.endsWith('.js') && isModulePackage(file));
    let exported;
    // Module loading puts a dozen of Node's frames between two of the user's: deep enough to show the chain of the
    // user's files (Node's default is 10 frames); only while loading, the user's own errors later get Node's.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Math.max(limit, 100);
    try {
      if (esm) {
        this.registerEsmPaths();
        exported = await import(pathToFileURL(file).href);
      } else {
        exported = require(file); // eslint-disable-line global-require, import/no-dynamic-require
      }
    } catch (e) {
      throw new LoadError(this.describe(what, spec, file, esm, fcCall.asError(e)));
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.modules.set(file, exported);
    return exported;
  }

  /**
   * An ES module's bare imports resolve from NODE_PATH's folders too (Node reads NODE_PATH for require() only):
   * a resolve hook tries, after Node's own resolution failed, each folder named node_modules as if the importing
   * module were beside it. Registered only when the user's code is an ES module (the hooks run in a thread).
   */
  registerEsmPaths() {
    if (this.esmPathsRegistered || this.nodePath.length === 0 || typeof nodeModule.register !== 'function') {
      return;
    }
    this.esmPathsRegistered = true;
    nodeModule.register(pathToFileURL(path.join(__dirname, 'fc_esm_paths.mjs')).href,
      { data: { folders: this.nodePath.filter((f) => path.basename(f) === 'node_modules') } });
  }

  /** `FILE line N: TYPE: MESSAGE`, N the innermost of the user's lines, then the user's frames. */
  describe(what, spec, file, esm, error) {
    const head = `${error.name || 'Error'}: ${fcTermination.oneLine(String(error.message), 1000)}`;
    const stack = typeof error.stack === 'string' ? error.stack : '';
    if (error.name === 'SyntaxError') {
      // CommonJS: the stack starts with `FILE:LINE`, the line and a caret; an ES module's says nowhere
      const place = /^(\/[^\n]*):(\d+)\n([^\n]*\n[^\n]*)\n/.exec(stack) || (esm ? this.checkSyntax(file) : null);
      if (place) {
        return `${what} "${spec}": ${place[1]} line ${place[2]}: ${head}\n${place[3]}`;
      }
    }
    const frames = fcCall.userFrames(error);
    const places = frames.map(frameOf).filter((f) => f !== null);
    const own = places.find((f) => this.folders.some((folder) => f.file.startsWith(folder + path.sep)));
    const at = own || places[0];
    const where = at ? `${at.file} line ${at.line}` : `importing ${file} failed`;
    return `${what} "${spec}": ${where}: ${head}${frames.length ? '\n' : ''}${frames.map((l) => `    ${l}`)
      .join('\n')}`;
  }

  /** [_, file, line, source and caret] of a syntax error in an ES module's own file, from `node --check`. */
  checkSyntax(file) {
    const checked = childProcess.spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 5000 });
    const m = /^(?:file:\/\/)?(\/[^\n]*):(\d+)\n([^\n]*\n[^\n]*)\n/.exec(checked.stderr || '');
    return m ? [m[0], decodeURIComponent(m[1]), m[2], m[3]] : null;
  }
}

/**
 * The Node.js runtime's side of the instance's life (fc_lifecycle's code): the user's module, loaded in this
 * process, its Initializer and PreStop called as functions (callback style with 2 parameters, else a promise).
 */
class NodeCode {
  constructor(config) {
    this.config = config;
    this.functions = null;
  }

  /** Loads the code, then runs the Initializer if one is configured; done(error) once. */
  initialize(context, done) {
    new Loader(this.config).loadAll(this.config).then((functions) => {
      this.functions = functions;
      if (functions.initializer === null) {
        done(null);
        return;
      }
      fcCall.callUser(functions.initializer, [context], 2, done);
    }, done);
  }

  preStop(context, done) {
    fcCall.callUser(this.functions.preStop, [context], 2, done);
  }

  /** [the text logged, the termination message's one line] of a failed Initializer, or of the code's load. */
  failure(outcome) {
    if (outcome.error instanceof LoadError) {
      const error = outcome.error.message;
      return [error, `Could not load the function code: ${fcTermination.oneLine(error)}`];
    }
    return [outcome.stackText(), `Initializer ${this.config.initializer} failed: ${outcome.errorType()}: `
      + `${fcTermination.oneLine(outcome.errorMessage())}`];
  }

  preStopFailure(outcome) {
    return outcome.stackText();
  }
}

module.exports = { LoadError, Loader, NodeCode, nodePathFolders, isModulePackage };
