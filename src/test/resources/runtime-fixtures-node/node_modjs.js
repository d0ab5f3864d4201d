// A .js file that is an ES module: the test puts a package.json saying "type": "module" beside it.
export const handler = async (event) => `module-js:${event.toString()}`;
