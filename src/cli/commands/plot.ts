import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { MidiError } from '../../midi/midi-error.js';
import { defaultMidiLimits } from '../../midi/midi-limits.js';
import { parseMidi } from '../../midi/parse-midi.js';
import { renderLossCurveSvg, type NgramBaselines } from '../../plot/loss-curve-svg.js';
import { renderMusicDistributionsSvg } from '../../plot/music-distributions-svg.js';
import { renderContinuationSvg } from '../../plot/continuation-svg.js';
import type { ContinuationTableInput } from '../../music/continuation-table.js';
import type { MusicReport } from '../../music/music-report.js';
import { renderPianoRollSvg } from '../../plot/piano-roll-svg.js';
import { PlotError } from '../../plot/plot-error.js';
import { parseProgressLines } from '../../plot/progress-lines.js';
import { readInputFile } from '../read-input-file.js';
import { usageError } from './usage-error.js';

const lossOptionsSchema = z.object({ model: z.string().min(1), out: z.string().min(1), baselines: z.boolean().default(true) });
const rollOptionsSchema = z.object({ out: z.string().min(1) });
const reportOptionsSchema = z.object({ report: z.string().min(1), out: z.string().min(1) });
/** Every part of a music report the chart reads. */
const musicReportSchema = z.looseObject({
  pieces: z.object({ generated: z.number(), heldOut: z.number(), reference: z.number() }),
  seconds: z.number(),
  binCount: z.number().int().positive(),
  features: z.array(z.object({ feature: z.string(), overlapGenerated: z.number(), overlapReference: z.number() })),
  meanOverlap: z.object({ generated: z.number(), reference: z.number() }),
  values: z.object({ generated: z.record(z.string(), z.array(z.number())), heldOut: z.record(z.string(), z.array(z.number())), reference: z.record(z.string(), z.array(z.number())) }),
});
/** Every part of a continuation report the chart reads. */
const distancesSchema = z.record(z.string(), z.number().nullable());
const continuationReportSchema = z.looseObject({
  windows: z.number(),
  primerSeconds: z.number(),
  continuationSeconds: z.number(),
  sets: z.record(z.string(), z.looseObject({ distances: distancesSchema, fractionOfTheWay: distancesSchema.optional() })),
});
const baselinesSchema = z.object({ metrics: z.object({ baselines: z.object({ unigram: z.number(), bigram: z.number(), trigram: z.number() }) }) });

/** `rubato plot loss|roll|music|continuation`: charts as standalone SVG files. */
export function register(program: Command): void {
  const plot = program.command('plot').description('Draw results as standalone SVG files');

  plot
    .command('loss')
    .description('Training loss and validation NLL against minutes of training, with the n-gram baselines')
    .requiredOption('--model <dir>', 'model folder holding progress.jsonl (and manifest.json for the baselines)')
    .requiredOption('--out <file>', 'SVG file to write')
    .option('--no-baselines', 'leave out the n-gram baseline lines')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = lossOptionsSchema.safeParse(raw);
      if (!parsed.success) usageError('plot loss', parsed.error);
      const options = parsed.data;
      const progressPath = join(options.model, 'progress.jsonl');
      const text = await readFile(progressPath, 'utf8').catch(() => usageError('plot loss', `cannot read ${progressPath}: is --model a model or checkpoint folder?`));
      const baselines = options.baselines ? await readBaselines(join(options.model, 'manifest.json')) : undefined;
      const svg = render('plot loss', () =>
        renderLossCurveSvg(parseProgressLines(text, progressPath), { baselines, title: `Training progress: ${basename(options.model)}` }),
      );
      await writeFile(options.out, svg);
      console.log(`wrote ${options.out}`);
    });

  plot
    .command('roll')
    .description('Piano roll of a MIDI file: time across, pitch up, velocity as opacity')
    .argument('<file>', 'MIDI file')
    .requiredOption('--out <file>', 'SVG file to write')
    .action(async (file: string, raw: Record<string, unknown>) => {
      const parsed = rollOptionsSchema.safeParse(raw);
      if (!parsed.success) usageError('plot roll', parsed.error);
      const bytes = await readInputFile(file, defaultMidiLimits.maxBytes).catch((error: Error) => usageError('plot roll', error.message));
      const svg = render('plot roll', () => renderPianoRollSvg(parseMidi(bytes), { title: basename(file) }));
      await writeFile(parsed.data.out, svg);
      console.log(`wrote ${parsed.data.out}`);
    });

  reportCommand(plot, {
    name: 'music',
    description: 'Distributions of the nine music features: generated pieces, held-out and training excerpts',
    writtenBy: 'rubato eval --music --music-out',
    schema: musicReportSchema,
    draw: (report, path) => renderMusicDistributionsSvg(report as MusicReport, { title: basename(path) }),
  });
  reportCommand(plot, {
    name: 'continuation',
    description: 'How far continuations got toward what the pianist played next, per measure, against the targets',
    writtenBy: 'rubato eval --continuation --continuation-out',
    schema: continuationReportSchema,
    draw: (report, path) => renderContinuationSvg(report as ContinuationTableInput, { title: `Continuations: ${basename(path)}` }),
  });
}

/** `rubato plot <name> --report <file> --out <file>`: a chart of a report JSON that an eval option wrote. */
function reportCommand(
  plot: Command,
  chart: { name: string; description: string; writtenBy: string; schema: z.ZodType; draw: (report: unknown, path: string) => string },
): void {
  const command = `plot ${chart.name}`;
  plot
    .command(chart.name)
    .description(chart.description)
    .requiredOption('--report <file>', `report JSON written by \`${chart.writtenBy} <file>\``)
    .requiredOption('--out <file>', 'SVG file to write')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = reportOptionsSchema.safeParse(raw);
      if (!parsed.success) usageError(command, parsed.error);
      const { report: reportPath, out } = parsed.data;
      const json = await readJsonReport(command, reportPath);
      if (!chart.schema.safeParse(json).success) usageError(command, `${reportPath} is not a report of \`${chart.writtenBy}\``);
      const svg = render(command, () => chart.draw(json, reportPath));
      await writeFile(out, svg);
      console.log(`wrote ${out}`);
    });
}

async function readJsonReport(command: string, path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => usageError(command, `cannot read ${path}`));
  try {
    return JSON.parse(text);
  } catch {
    return usageError(command, `${path} is not JSON`);
  }
}

/** Input we cannot draw from is the user's to fix: a usage error, not a crash. */
function render(command: string, draw: () => string): string {
  try {
    return draw();
  } catch (error) {
    if (error instanceof PlotError || error instanceof MidiError) usageError(command, error.message);
    throw error;
  }
}

/** The baselines from manifest.json; a run still in progress has no manifest yet, so the chart goes without them. */
async function readBaselines(manifestPath: string): Promise<NgramBaselines | undefined> {
  const text = await readFile(manifestPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return usageError('plot loss', `${manifestPath} is not JSON`);
  }
  const parsed = baselinesSchema.safeParse(json);
  return parsed.success ? parsed.data.metrics.baselines : undefined;
}
