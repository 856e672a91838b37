import { dirname, extname, join } from 'node:path';

/** Where a worker thread's code is, and how to start it. */
export interface WorkerEntry {
  readonly file: string;
  readonly execArgv: string[];
}

/**
 * The worker file `name` beside the module `callerFile` that starts it: the compiled `.js`
 * in dist, or under jest the TypeScript source, compiled on load by the dev-only register
 * hook. (The auditor's verifier keeps its own copy: it imports nothing outside its folder.)
 */
export function workerEntry(callerFile: string, name: string): WorkerEntry {
  const extension = extname(callerFile);
  return {
    file: join(dirname(callerFile), `${name}${extension}`),
    execArgv: extension === '.ts' ? ['--require', '@swc-node/register'] : [],
  };
}
