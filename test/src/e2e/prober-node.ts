// A prober node as its own process, configured like `mailprobe serve` from MAILPROBE_* variables only.
// The crash-resume and fleet tests start it, kill it with SIGKILL and start it again.
import { createProberServer, loadProberConfig } from '../../../packages/prober/src/index.js';

const server = await createProberServer(loadProberConfig({ env: process.env }));
await server.listen();
const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
