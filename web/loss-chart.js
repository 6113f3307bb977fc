// The training chart: uPlot (served from node_modules), loss against step with the n-gram baselines as lines.
const colors = { train: '#3b6fd8', validation: '#d8743b', unigram: '#9a9a9a', trigram: '#5a8f3c' };

/** Y range wide enough that noise does not look like a cliff: at least half a nat, padded. */
function lossRange(_plot, low, high) {
  if (low === null || high === null) return [0, 5];
  const middle = (low + high) / 2;
  const half = Math.max((high - low) / 2 + 0.1, 0.25);
  return [Math.max(0, middle - half), middle + half];
}

/**
 * Training and validation loss of one run, step by step; adding points redraws at most once per animation frame.
 *
 * @example
 * const chart = new LossChart(document.getElementById('loss-chart'));
 * chart.show('run-1', [{ kind: 'train', step: 10, trainLoss: 4.2 }], { unigram: 4.67, trigram: 3.82 });
 */
export class LossChart {
  constructor(container, emptyMessage) {
    this.container = container;
    this.emptyMessage = emptyMessage;
    this.train = new Map();
    this.validation = new Map();
    this.baselines = null;
    this.runId = undefined;
    this.plot = undefined;
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  /** Shows a run's history (records as in progress.jsonl), merged with live points already drawn for the same run. */
  show(runId, records, baselines) {
    if (runId !== this.runId) {
      this.runId = runId;
      this.train = new Map();
      this.validation = new Map();
      this.baselines = null;
    }
    for (const record of records) {
      if (record.kind === 'train') this.train.set(record.step, record.trainLoss);
      else this.validation.set(record.step, record.validationNll);
    }
    this.baselines = baselines ?? this.baselines;
    this.redraw();
  }

  /** A live point; a new run id starts a new chart. */
  add(runId, kind, step, loss) {
    if (runId !== this.runId) this.show(runId, [], null);
    (kind === 'train' ? this.train : this.validation).set(step, loss);
    this.redraw();
  }

  setBaselines(runId, baselines) {
    if (runId !== this.runId) this.show(runId, [], null);
    this.baselines = baselines;
    this.redraw();
  }

  size() {
    return { width: Math.max(280, this.container.clientWidth), height: 260 };
  }

  redraw() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = undefined;
      this.draw();
    });
  }

  draw() {
    const steps = [...new Set([...this.train.keys(), ...this.validation.keys()])].sort((a, b) => a - b);
    this.emptyMessage.hidden = steps.length > 0;
    if (steps.length === 0) return;
    const constant = (value) => steps.map(() => value ?? null);
    const data = [
      steps,
      steps.map((step) => this.train.get(step) ?? null),
      steps.map((step) => this.validation.get(step) ?? null),
      constant(this.baselines?.unigram),
      constant(this.baselines?.trigram),
    ];
    // Baseline values are part of their legend labels, so new baselines mean a new plot.
    const labels = JSON.stringify(this.baselines);
    if (this.plot && this.plotLabels === labels) return this.plot.setData(data);
    this.plot?.destroy();
    this.plotLabels = labels;
    this.plot = new uPlot(this.options(), data, this.container);
  }

  options() {
    const baseline = (name) => `${name} baseline${typeof this.baselines?.[name] === 'number' ? ` (${this.baselines[name].toFixed(2)})` : ': not known yet'}`;
    return {
      ...this.size(),
      legend: { live: false },
      scales: { x: { time: false }, y: { range: lossRange } },
      axes: [
        { label: 'training step', stroke: 'currentColor', grid: { stroke: '#8883' } },
        { label: 'loss (nats per event)', stroke: 'currentColor', grid: { stroke: '#8883' }, size: 56, values: (_plot, ticks) => ticks.map((tick) => tick.toFixed(2)) },
      ],
      series: [
        { label: 'step' },
        { label: 'training loss', stroke: colors.train, width: 2, spanGaps: true },
        { label: 'validation loss', stroke: colors.validation, width: 2, spanGaps: true, points: { show: true, size: 8, fill: colors.validation } },
        { label: baseline('unigram'), stroke: colors.unigram, width: 1.5, dash: [6, 4], points: { show: false } },
        { label: baseline('trigram'), stroke: colors.trigram, width: 1.5, dash: [2, 3], points: { show: false } },
      ],
    };
  }
}
