// Preloaded (NODE_OPTIONS --require) into Stryker's processes by mutation-report.mjs.
// Mocha 12 ships its CLI internals as lib/cli/*.cjs, and @stryker-mutator/mocha-runner
// 10.1 still requires them without an extension, so the plugin fails to load. Letting an
// extensionless require() also try .cjs is enough; drop this file once a mocha-runner
// release finds the .cjs files itself (the fix is open upstream).
'use strict';
const Module = require('node:module');
if (!Module._extensions['.cjs']) Module._extensions['.cjs'] = Module._extensions['.js'];
