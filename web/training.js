// Section 2: start and stop training, and the loss chart (history from progress.jsonl, then live events).
import { $, jsonOf } from './api.js';
import { LossChart } from './loss-chart.js';

function formatSeconds(seconds) {
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

/** One sentence for how the newest run ended, promotion included when the server says (issue 12's fields). */
function outcomeText(last) {
  const reason = last.reason ? `${last.reason[0].toUpperCase()}${last.reason.slice(1).replace(/\.?$/, '.')}` : '';
  const promotion = reason ? ` ${reason}` : last.promoted === true ? ' It is now the latest model.' : '';
  const words = {
    finished: `run ${last.runId} finished.`,
    stopped: `run ${last.runId} stopped at a checkpoint; Start continues it.`,
    interrupted: `run ${last.runId} was interrupted; Start continues it.`,
    failed: `run ${last.runId} failed: ${last.message ?? 'see the server log'}.`,
  };
  return `Idle — ${words[last.state] ?? `${last.state}.`}${promotion}`;
}

export function setUpTraining({ onPublished, latestRunId }) {
  const chart = new LossChart($('loss-chart'), $('loss-chart-empty'));
  const loadHistory = async (runId) => {
    if (!runId) return;
    const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/progress`);
    if (!response.ok) return;
    const progress = await response.json();
    chart.show(progress.runId, progress.records, progress.baselines);
    $('loss-chart-title').textContent = `Loss of run ${progress.runId}${progress.published ? '' : ' (in progress)'}`;
  };

  const showState = (status) => {
    const active = status.state === 'starting' || status.state === 'running' || status.state === 'stopping';
    $('train-start').disabled = active;
    $('train-stop').disabled = status.state !== 'running' && status.state !== 'starting';
    if (status.state === 'starting') {
      $('train-status').textContent = 'Starting a training run…';
      return;
    }
    if (active) {
      $('train-status').textContent = `${status.state === 'stopping' ? 'Stopping (saving a checkpoint)' : 'Training'} run ${status.runId ?? ''}…`;
      return;
    }
    const last = status.state === 'finished' ? status : status.last;
    if (last) $('train-status').textContent = outcomeText(last);
  };

  const events = new EventSource('/api/train/events');
  events.addEventListener('state', (event) => showState(JSON.parse(event.data).status));
  events.addEventListener('step', (event) => {
    const update = JSON.parse(event.data);
    chart.add(update.runId, 'train', update.step, update.trainLoss);
    $('loss-chart-title').textContent = `Loss of run ${update.runId} (in progress)`;
    $('train-status').textContent = `Training ${update.runId}: step ${update.step}, loss ${update.trainLoss.toFixed(3)}, ${Math.round(update.eventsPerSecond)} events/s, about ${formatSeconds(update.etaSeconds)} left.`;
  });
  events.addEventListener('validation', (event) => {
    const update = JSON.parse(event.data);
    chart.add(update.runId, 'validation', update.step, update.validationLoss);
  });
  // A run's model is out: the model list and the chart (now from the published progress) follow.
  events.addEventListener('published', (event) => {
    const update = JSON.parse(event.data);
    onPublished();
    loadHistory(update.runId);
  });
  events.addEventListener('baselines', (event) => {
    const update = JSON.parse(event.data);
    chart.setBaselines(update.runId, update.baselines);
  });

  $('train-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // One click, one run: Start stays disabled until the server has answered (the state events enable it again).
    $('train-start').disabled = true;
    try {
      showState(await jsonOf(await fetch('/api/train', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: Number($('train-minutes').value) }) })));
    } catch (error) {
      $('train-start').disabled = false;
      $('train-status').textContent = `Could not start training: ${error.message}`;
    }
  });
  $('train-stop').addEventListener('click', async () => {
    $('train-stop').disabled = true;
    try {
      showState(await jsonOf(await fetch('/api/train/stop', { method: 'POST' })));
    } catch (error) {
      $('train-status').textContent = `Could not stop training: ${error.message}`;
    }
  });

  return (async () => {
    const status = await jsonOf(await fetch('/api/train'));
    await loadHistory(status.runId ?? status.last?.runId ?? (await latestRunId()));
  })();
}
