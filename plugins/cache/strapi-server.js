'use strict';
// Strapi loads the app-compiled server code: `tsc` compiles plugins/*/server into dist/ with the
// app. STRAPI_DIST_DIR lets a test run boot from another output directory.
const path = require('path');
const dist = process.env.STRAPI_DIST_DIR || path.join(__dirname, '..', '..', 'dist');
const mod = require(path.join(dist, 'plugins', 'cache', 'server', 'src'));
module.exports = mod.default || mod;
