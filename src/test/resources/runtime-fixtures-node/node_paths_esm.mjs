// A package only NODE_PATH finds (vendor/node_modules), imported by an ES module (Node reads NODE_PATH for require()
// only: the runtime's resolve hook finds it).
import greet from 'greet';

export const handler = async (event) => `esm ${greet(event.toString())}`;
