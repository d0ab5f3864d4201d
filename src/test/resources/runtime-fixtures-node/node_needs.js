'use strict';
// Loads a module that requires a package nobody installed.
require('./node_needs_lib');

exports.handler = async () => 'unreachable';
