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
import { midiFile, noteOff, noteOn, riffWrap, trackChunk } from '../support/midi-bytes.js';
import { performances } from '../support/performance-midi.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function rubato(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/rubato.js', ...args], { cwd: repo }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

/** Twenty generated performances, and a manifest that says which of seven pieces each one plays. */
async function writePerformances(folder: string): Promise<{ files: string[]; manifestCsv: string }> {
  await mkdir(folder);
  const files = await Promise.all(
    performances(20).map(async (bytes, index) => {
      const file = join(folder, `performance ${String(index).padStart(2, '0')}.mid`);
      await writeFile(file, bytes);
      return file;
    }),
  );
  const manifestCsv = join(folder, '..', 'manifest.csv');
  const rows = files.map((file, index) => `${file.slice(folder.length + 1)},Composer ${index % 3},Piece ${index % 7}`);
  await writeFile(manifestCsv, ['file,composer,title', ...rows].join('\n'));
  return { files, manifestCsv };
}

/** Odd and broken MIDI: a file cut short, one wrapped in RIFF, one of drums only. */
async function writeEdgeFiles(folder: string): Promise<void> {
  const [piece] = performances(1, 10, 100);
  await mkdir(folder);
  await writeFile(join(folder, 'damaged.mid'), piece!.subarray(0, Math.floor(piece!.length / 2)));
  await writeFile(join(folder, 'wrapped.rmi'), riffWrap(piece!));
  await writeFile(join(folder, 'drums.mid'), midiFile({ chunks: [trackChunk(noteOn(0, 9, 36, 100), noteOff(480, 9, 36))] }));
}

describe('rubato preprocess and decode', () => {
  let work: string;
  let pianoFolder: string;
  let pianoFiles: string[];
  let manifestCsv: string;
  let edgeFolder: string;
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
    pianoFolder = join(work, 'piano');
    ({ files: pianoFiles, manifestCsv } = await writePerformances(pianoFolder));
    edgeFolder = join(work, 'edge');
    await writeEdgeFiles(edgeFolder);
    // Files no MIDI test suite ships: text named .mid, and a link to a file that is gone (unreadable).
    oddFolder = join(work, 'odd');
    await mkdir(oddFolder);
    await writeFile(join(oddFolder, 'notes.mid'), 'these are my notes, not MIDI');
    await symlink(join(work, 'nowhere.mid'), join(oddFolder, 'gone.mid'));
    // Side by side: much of each run is Node and tsx start-up.
    [run, chordsRun, ...usageRuns] = await Promise.all([
      rubato('preprocess', ...pianoFiles, pianoFiles[0]!, edgeFolder, oddFolder, '--out', out(), '--jobs', '2', '--manifest', manifestCsv),
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
    const edgeMidi = (await readdir(edgeFolder)).map((name) => join(edgeFolder, name));
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
    expect(codeOf('damaged.mid')).toBe('truncated');
    expect(codeOf('drums.mid')).toBe('no-notes');
    expect(report.accepted.map((line) => line.file)).toContain(join(edgeFolder, 'wrapped.rmi'));
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

    const pianoLines = report.accepted.filter((line) => line.file.startsWith(pianoFolder));

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
