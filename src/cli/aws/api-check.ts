import { parseMidi } from '../../midi/parse-midi.js';
import type { ModelList } from '../../pipeline/list-models.js';
import type { ApiClient, ApiHealth, RemotePiece } from './api-client.js';
import { modelLine } from './model-line.js';

/** Length of the piece the check asks for: long enough to be music, short enough for a cold Lambda. */
export const checkSeconds = 5;

export interface ApiCheck {
  ok: boolean;
  /** One line per step, in order; the first failing step ends the check. */
  lines: string[];
}

interface CheckState {
  readonly client: ApiClient;
  health?: ApiHealth;
  models?: ModelList;
  piece?: RemotePiece;
}

/** `asks` is false for a step that only reads what earlier answers said: it gets no time. */
type Step = { name: string; asks: boolean; run(state: CheckState): Promise<string> };

const steps: Step[] = [
  {
    name: 'health',
    asks: true,
    async run(state) {
      const health = (state.health = await state.client.health());
      return `${health.status}, latest model ${health.latestRunId ?? 'none yet'}`;
    },
  },
  {
    name: 'models',
    asks: true,
    async run(state) {
      const { models, latest } = (state.models = await state.client.models());
      return `${models.length} published, latest ${latest ?? 'none'}`;
    },
  },
  {
    name: 'generate',
    asks: true,
    async run(state) {
      const piece = (state.piece = await state.client.generate({ seconds: String(checkSeconds) }));
      const notes = parseMidi(piece.midi).notes.length;
      if (notes === 0) throw new Error(`the ${piece.midi.length}-byte MIDI file holds no notes`);
      const { seconds, events, seed, complete } = piece;
      return `${seconds.toFixed(2)} s of music: ${notes} notes, ${events} events, seed ${seed}${complete ? '' : ' (cut short by the deadline)'}`;
    },
  },
  {
    name: 'served',
    asks: false,
    async run(state) {
      const runId = state.piece!.runId;
      const model = state.models!.models.find((summary) => summary.runId === runId);
      return model ? modelLine(model) : `${runId} (not in GET /models)`;
    },
  },
];

/**
 * The after-deploy check: `GET /health`, `GET /models`, a {@link checkSeconds}-second piece from `POST /generate`
 * (parsed, so an answer without notes fails), and which published model played it — each step timed, stopping at
 * the first that fails with its reason.
 *
 * @example
 * const { ok, lines } = await checkApi(createApiClient(apiTarget(url)));
 * console.log(lines.join('\n'));
 */
export async function checkApi(client: ApiClient): Promise<ApiCheck> {
  const state: CheckState = { client };
  const lines: string[] = [];
  for (const step of steps) {
    const started = performance.now();
    try {
      const summary = await step.run(state);
      lines.push(`  ${step.name.padEnd(10)}${summary}${step.asks ? `  (${Math.round(performance.now() - started)} ms)` : ''}`);
    } catch (error) {
      lines.push(`  ${step.name.padEnd(10)}FAILED: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, lines };
    }
  }
  return { ok: true, lines };
}
