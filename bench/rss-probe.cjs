// Preloaded into a measured process (node --require): prints its peak RSS to stderr on exit.
'use strict';
process.on('exit', () => {
  require('node:fs').writeSync(2, `PEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
