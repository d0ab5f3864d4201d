'use strict';
const version = 1;
module.exports = require('not-installed-anywhere') + version;
