// The user's ES modules' bare imports, resolved from NODE_PATH's node_modules folders when Node's own resolution
// fails (Node reads NODE_PATH for require() only). Registered by fc_loader.js with module.register().
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let folders = [];

export async function initialize(data) {
  folders = (data && data.folders) || [];
}

function bare(specifier) {
  return !/^(?:\.{0,2}\/|[a-zA-Z][a-zA-Z+.-]*:)/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || !bare(specifier)) {
      throw error;
    }
    for (const folder of folders) {
      // resolved as from a module beside the folder, which Node looks up in that node_modules folder first
      const parentURL = pathToFileURL(path.join(path.dirname(folder), 'fc-node-path.mjs')).href;
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch (notThere) {
        // the next folder
      }
    }
    throw error;
  }
}
