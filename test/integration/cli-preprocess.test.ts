import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/dataset/dataset-store.js';
import type { DatasetSplit } from '../../src/dataset/split.js';
import type { PreprocessReport } from '../../src/pipeline/preprocess-report.js';
import { parseMidi } from '../../src/midi/parse-midi.js';
import { FsStore } from '../../src/store/fs-store.js';
import { explainMissingSharedData, midiEdgeDir, pianoManifestCsv, pianoTrainDir } from '../support/shared-data.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function rubato(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/rubato.js', ...args], { cwd: repo }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

describe.skipIf(explainMissingSharedData('rubato preprocess and decode'))('rubato preprocess and decode', () => {
  let work: string;
  let pianoFiles: string[];
  let oddFolder: string;
  let run: Awaited<ReturnType<typeof rubato>>;
  let chordsRun: Awaited<ReturnType<typeof rubato>>;
  let usageRuns: Array<Awaited<ReturnType<typeof rubato>>>;
  let report: PreprocessReport;
  const out = () => join(work, 'out');
  const chordsOut = () => join(work, 'chords');
  const usageCases = (): Array<[string[], RegExp]> => [
    [[pianoFiles[0]!], /--out/], // --out missing
    [['--out', 'ignored'], /missing required argument/], // no inputs
    [['no/such/folder', '--out', 'ignored'], /no\/such\/folder: no such file or folder/],
    [[pianoFiles[0]!, '--out', 'ignored', '--tokenizer', 'words'], /--tokenizer: .*performance/],
  ];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rubato-cli-preprocess-'));
    pianoFiles = (await readdir(pianoTrainDir)).sort().slice(0, 20).map((name) => join(pianoTrainDir, name));
    // Files no MIDI test suite ships: text named .mid, and a link to a file that is gone (unreadable).
    oddFolder = join(work, 'odd');
    await mkdir(oddFolder);
    await writeFile(join(oddFolder, 'notes.mid'), 'these are my notes, not MIDI');
    await symlink(join(work, 'nowhere.mid'), join(oddFolder, 'gone.mid'));
    // Side by side: much of each run is Node and tsx start-up.
    [run, chordsRun, ...usageRuns] = await Promise.all([
      rubato('preprocess', ...pianoFiles, pianoFiles[0]!, midiEdgeDir, oddFolder, '--out', out(), '--jobs', '2', '--manifest', pianoManifestCsv),
      rubato('preprocess', ...pianoFiles.slice(0, 4), '--out', chordsOut(), '--tokenizer', 'notes-chords'),
      ...usageCases().map(([args]) => rubato('preprocess', ...args)),
    ]);
    if (run.code !== 0) throw new Error(`rubato preprocess exited ${run.code}: ${run.stderr}`);
    report = await readJson<PreprocessReport>(join(out(), 'report.json'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('exits 0 and prints a summary although some files are rejected', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/files: \d+ accepted \(1 duplicates\), \d+ rejected/);
  });

  it('reports every input file once, as accepted or rejected with a code', async () => {
    const edgeMidi = (await readdir(midiEdgeDir)).filter((name) => /\.(mid|midi|rmi)$/i.test(name)).map((name) => join(midiEdgeDir, name));
    const inputs = [...pianoFiles, pianoFiles[0]!, ...edgeMidi, join(oddFolder, 'gone.mid'), join(oddFolder, 'notes.mid')];

    const reported = [...report.accepted, ...report.rejected].map((line) => line.file);

    expect(reported.sort()).toEqual(inputs.sort());
    expect(report.totals.files).toBe(inputs.length);
    for (const line of report.rejected) {
      expect(line.code).toMatch(/^[a-z-]+$/);
      expect(line.message.length).toBeGreaterThan(5);
    }
    const codeOf = (name: string) => report.rejected.find((line) => line.file.endsWith(name))?.code;
    expect(codeOf('gone.mid')).toBe('unreadable');
    expect(codeOf('notes.mid')).toBe('not-midi');
    expect(codeOf('midly__PiDamaged.mid')).toBe('truncated');
    expect(pianoFiles.every((file) => report.accepted.some((line) => line.file === file))).toBe(true);
  });

  it('stores the same bytes once and reports the second copy as a duplicate', async () => {
    const copies = report.accepted.filter((line) => line.file === pianoFiles[0]);
    const stored = (await readdir(join(out(), 'tokens'))).filter((name) => name.endsWith('.tokens'));

    expect(copies).toHaveLength(2);
    expect(copies[1]!.duplicateOf).toBe(pianoFiles[0]);
    expect(stored).toHaveLength(new Set(report.accepted.map((line) => line.digest)).size);
    expect(stored).toHaveLength(report.accepted.length - 1);
  });

  it('names pieces from the training manifest and keeps each piece on one side of split.json', async () => {
    const split = await readJson<DatasetSplit>(join(out(), 'split.json'));
    const sideOf = (digest: string) => (split.validation.includes(digest) ? 'validation' : 'train');

    const pianoLines = report.accepted.filter((line) => line.file.startsWith(pianoTrainDir));

    expect(pianoLines.every((line) => line.piece && line.piece.includes(': '))).toBe(true);
    expect(split.train.length + split.validation.length).toBe(report.accepted.length - 1);
    for (const line of pianoLines) {
      const samePiece = pianoLines.filter((other) => other.piece === line.piece);
      expect(new Set(samePiece.map((other) => sideOf(other.digest))).size).toBe(1);
    }
  });

  it('leaves a dataset the training side can load', async () => {
    const dataset = await loadDataset(new FsStore(out()), 'tokens/');

    expect(dataset.entries).toHaveLength(report.accepted.length - 1);
    expect(dataset.entries.reduce((sum, entry) => sum + entry.tokens.length, 0)).toBe(report.totals.events);
  });

  it('decodes a token file back into MIDI that parses', async () => {
    const line = report.accepted.find((accepted) => accepted.file === pianoFiles[1])!;
    const midi = join(work, 'decoded.mid');

    const decoded = await rubato('decode', join(out(), 'tokens', `${line.digest}.tokens`), '--out', midi);

    expect(decoded.code).toBe(0);
    const notes = parseMidi(new Uint8Array(await readFile(midi))).notes.length;
    expect(Math.abs(notes - line.notes)).toBeLessThanOrEqual(line.notes * 0.001);
  });

  it('builds and stores a notes-chords vocabulary, and decodes with it', async () => {
    expect(chordsRun.code).toBe(0);
    const dataset = await loadDataset(new FsStore(chordsOut()), 'tokens/');
    const midi = join(work, 'chords.mid');

    const decoded = await rubato('decode', join(chordsOut(), 'tokens', `${dataset.entries[0]!.meta.digest}.tokens`), '--out', midi);

    expect(dataset.tokenizer.name).toBe('notes-chords');
    expect(dataset.vocabulary!.size).toBeGreaterThan(100);
    expect(decoded.code).toBe(0);
    expect(parseMidi(new Uint8Array(await readFile(midi))).notes.length).toBeGreaterThan(100);
  });

  it('exits 2 with a clear message for each usage error', () => {
    usageCases().forEach(([args, message], i) => {
      expect(usageRuns[i]!.code, args.join(' ')).toBe(2);
      expect(usageRuns[i]!.stderr).toMatch(message);
    });
  });
});
