'use strict';
const a = 1;
let b = = 2;
exports.handler = () => a + b;
