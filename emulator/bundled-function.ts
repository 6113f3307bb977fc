import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtime's own files, copied beside each bundle: the invoke loop and the `.localhost` resolver. */
const runtimeDir = fileURLToPath(new URL('./bundle-runtime/', import.meta.url));
/** The Lambda runtime provides the AWS SDK v3 (the bundles leave `@aws-sdk/*` out); here it is the installed one, and only it. */
const awsSdkDir = fileURLToPath(new URL('../node_modules/@aws-sdk', import.meta.url));

/** A function bundle failed an invocation: the error it threw, by name and message, as Lambda reports it. */
export class FunctionInvocationError extends Error {
  override name = 'FunctionInvocationError';
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${functionName}: ${errorType}: ${message}`);
  }
}

/** The function process ended while an invocation was in flight, or before it was ready. */
export class FunctionExitedError extends Error {
  override name = 'FunctionExitedError';
}

export interface BundledFunctionOptions {
  functionName: string;
  /** A cdk.out asset folder holding `index.mjs`. */
  assetDir: string;
  /** The function's environment, as Lambda would set it: nothing of this process's is passed on. */
  environment: Record<string, string>;
}

export interface BundledFunction {
  functionName: string;
  /** Milliseconds from spawning the process to the handler loaded (Node start + the bundle's init). */
  coldStartMs: number;
  /** The part of it the bundle's module code took (the Lambda init phase). */
  initMs: number;
  invoke<Result>(event: unknown, context?: { awsRequestId?: string; remainingMs?: number }): Promise<Result>;
  close(): Promise<void>;
}

interface HostMessage {
  type: 'ready' | 'result' | 'error';
  id?: string;
  initMs?: number;
  result?: unknown;
  error?: { name: string; message: string };
}

/**
 * Runs one deployed function bundle (`index.mjs` from `cdk synth`) the way Lambda does, in its own Node process: the
 * asset folder is copied to a temporary folder outside the repository, beside a `node_modules` holding only the AWS
 * SDK (which the runtime provides), and started with a clean environment (no NODE_PATH, no loader flags), so the
 * bundle can use nothing it does not carry. Invocations are serialised, as in one execution environment.
 *
 * @example
 * const generate = await startBundledFunction({ functionName: 'rubato-generate', assetDir, environment });
 * const result = await generate.invoke(httpApiEvent, { remainingMs: 29_000 });
 */
export async function startBundledFunction(options: BundledFunctionOptions): Promise<BundledFunction> {
  const root = mkdtempSync(join(tmpdir(), `rubato-lambda-${options.functionName}-`));
  const taskDir = join(root, 'task');
  cpSync(options.assetDir, taskDir, { recursive: true });
  cpSync(runtimeDir, join(root, 'runtime'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(awsSdkDir, join(root, 'node_modules', '@aws-sdk'), 'dir');

  const spawnedAt = performance.now();
  const child = fork(join(root, 'runtime', 'function-host.mjs'), [join(taskDir, 'index.mjs')], {
    cwd: taskDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LAMBDA_TASK_ROOT: taskDir, AWS_LAMBDA_FUNCTION_NAME: options.functionName, ...options.environment },
    execArgv: ['--import', join(root, 'runtime', 'localhost-dns.mjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const ready = await nextMessage(child, exited, options.functionName);
    const coldStartMs = performance.now() - spawnedAt;
    return hostHandle(child, exited, root, { functionName: options.functionName, coldStartMs, initMs: ready.initMs ?? 0 });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function hostHandle(
  child: ChildProcess,
  exited: Promise<number | null>,
  root: string,
  timings: { functionName: string; coldStartMs: number; initMs: number },
): BundledFunction {
  let chain: Promise<unknown> = Promise.resolve();
  const invokeNow = async <Result>(event: unknown, context: { awsRequestId?: string; remainingMs?: number }): Promise<Result> => {
    const id = randomUUID();
    const answer = nextMessage(child, exited, timings.functionName);
    child.send({ id, event, context: { awsRequestId: context.awsRequestId ?? id, functionName: timings.functionName, remainingMs: context.remainingMs ?? 60_000 } });
    const message = await answer;
    if (message.type === 'error') throw new FunctionInvocationError(timings.functionName, message.error!.name, message.error!.message);
    return message.result as Result;
  };
  return {
    ...timings,
    invoke<Result>(event: unknown, context: { awsRequestId?: string; remainingMs?: number } = {}) {
      const run = chain.then(() => invokeNow<Result>(event, context));
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The host's next message; rejects if the process exits first. */
function nextMessage(child: ChildProcess, exited: Promise<number | null>, functionName: string): Promise<HostMessage> {
  return new Promise<HostMessage>((resolve, reject) => {
    const onMessage = (message: HostMessage) => {
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    void exited.then((code) => {
      child.off('message', onMessage);
      reject(new FunctionExitedError(`${functionName}: the function process exited (code ${code})`));
    });
  });
}
