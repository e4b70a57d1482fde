// Loaded with `--import` into each measured process: at exit it reports the CPU time the process used (user +
// system), a figure a busy machine disturbs far less than wall time. Plain JavaScript: it runs without tsx.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-us ${user + system}\n`);
});
