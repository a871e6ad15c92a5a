'use strict';
// The kernel is compiled with the app (`tsc` → dist/src/platform). Every plugin imports it as
// `@kp/platform` (a `file:` dependency of the app, so node_modules/@kp/platform links here);
// this entry sends Node to the compiled code. STRAPI_DIST_DIR lets a test run boot from another
// output directory, as the plugins' strapi-server.js shims do.
const path = require('path');
const dist = process.env.STRAPI_DIST_DIR || path.join(__dirname, '..', '..', 'dist');
module.exports = require(path.join(dist, 'src', 'platform', 'index.js'));
