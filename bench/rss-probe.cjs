// Preloaded into a measured process (node --require): prints its peak RSS and CPU time (user +
// system, all threads) to stderr on exit.
'use strict';
process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').writeSync(2, `PEAK_RSS_KB ${u.maxRSS}\nCPU_US ${u.userCPUTime + u.systemCPUTime}\n`);
});
