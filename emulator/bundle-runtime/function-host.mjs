// The Lambda runtime's part for one function bundle, run by `rubato emulate --bundles` in a folder outside the
// repository: loads the bundle once (the init phase), then answers invocations from the parent process over IPC,
// one at a time, as one execution environment does. Plain JavaScript with no imports but Node's own: it must run
// where the bundle runs, with nothing of the repository within reach.
import { pathToFileURL } from 'node:url';

const [bundle, handlerName = 'handler'] = process.argv.slice(2);
const initStarted = performance.now();
const handler = (await import(pathToFileURL(bundle).href))[handlerName];
if (typeof handler !== 'function') throw new Error(`${bundle} exports no function "${handlerName}"`);
process.send({ type: 'ready', initMs: performance.now() - initStarted });

process.on('message', async ({ id, event, context }) => {
  const endsAt = Date.now() + context.remainingMs;
  const lambdaContext = {
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
  };
  try {
    process.send({ type: 'result', id, result: await handler(event, lambdaContext) });
  } catch (error) {
    process.send({ type: 'error', id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
});
process.on('disconnect', () => process.exit(0));
