'use strict';
// A package only NODE_PATH finds (vendor/node_modules), required by CommonJS code.
const greet = require('greet');

exports.handler = async (event) => greet(event.toString());
