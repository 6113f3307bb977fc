import { buildWorkerBundles } from './worker-bundle.js';

// `npm run build`: every worker bundle, so a production image never needs esbuild or tsx to start a worker.
for (const file of await buildWorkerBundles()) console.log(`worker bundle: ${file}`);
