'use strict';
// Preloaded into the timed child processes (node -r ./bench/cpu-usage.js ...): on exit, report the
// process's own CPU time (all threads) and peak RSS on stderr, so run.ts can show them next to wall time.
process.on('exit', () => {
  const cpu = process.cpuUsage();
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stderr.write(`\n@@srm-iip-bench ${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb })}\n`);
});
