import { z } from 'zod';
import { silentLog, type PipelineLog } from '../log/log.js';
import type { Store } from '../store/store.js';
import { keys } from './keys.js';
import { removeStaging } from './publish-model.js';
import { runIdPattern } from './run-id.js';

const stagedRunSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string().regex(runIdPattern),
  /** Digest of the data and every setting but the budget: a run with the same key continues this one. */
  settingsKey: z.string(),
  startedFrom: z.string().nullable(),
  createdAt: z.string(),
});

/** `checkpoints/<runId>/run.json`: what an unfinished run is, so a later start finds and continues it. */
export type StagedRun = z.infer<typeof stagedRunSchema>;

/** Records a run about to train under `checkpoints/<runId>/`. */
export async function writeStagedRun(store: Store, run: StagedRun): Promise<void> {
  await store.put(keys.stagedRun(run.runId), new TextEncoder().encode(JSON.stringify(run, null, 2)), { contentType: 'application/json' });
}

/**
 * The staged (unfinished or unpublished) run whose data and settings match `settingsKey`, if any; it is continued
 * with whatever budget is asked now. Runs staged for other data or settings can never be continued: they are orphans
 * and are removed (only the lease holder calls this, so no other trainer is using them).
 *
 * @example
 * const resumable = await claimStagedRun(store, settingsKey, log);
 */
export async function claimStagedRun(store: Store, settingsKey: string, log: PipelineLog = silentLog): Promise<StagedRun | undefined> {
  const objects = await store.list(keys.checkpointsPrefix);
  const runIds = new Set(
    objects
      .map((object) => object.key.slice(keys.checkpointsPrefix.length))
      .filter((rest) => rest.includes('/'))
      .map((rest) => rest.slice(0, rest.indexOf('/'))),
  );
  let claimed: StagedRun | undefined;
  for (const runId of [...runIds].sort()) {
    const run = await readStagedRun(store, runId);
    if (!claimed && run?.settingsKey === settingsKey) {
      claimed = run;
      continue;
    }
    log.info('removing an orphaned checkpoint (its data or settings are not the current ones)', { runId });
    await removeStaging(store, keys.checkpointPrefix(runId));
  }
  return claimed;
}

async function readStagedRun(store: Store, runId: string): Promise<StagedRun | undefined> {
  const bytes = await store.get(keys.stagedRun(runId));
  if (!bytes) return undefined;
  try {
    const parsed = stagedRunSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success && parsed.data.runId === runId ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
