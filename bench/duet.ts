import { loadavg } from 'node:os';
import { playPhrase, startDuet, waitForAnswers, type DuetAnswer, type PhraseKey } from '../fixtures/duet-page.js';
import { startServeProcess } from '../fixtures/rubato-serve.js';
import { launchChromium } from '../test/support/chromium.js';
import type { Benchmark } from './benchmark.js';

const phrases = 20;
/** Listening to each answer this long before the next phrase cuts in (as a player does). */
const listenMs = 600;
/** What a player waits after pressing Duet before playing (the page warms the server up meanwhile). */
const settleMs = 3000;
/** The C major scale on the Q row, C4 to C5. */
const scale = ['q', 'w', 'e', 'r', 't', 'y', 'u', 'i'];

/** Phrase `index`: 4 to 11 keys up and down the scale, each rhythm its own, about 1 to 4 s long. */
function phrase(index: number): PhraseKey[] {
  const length = 4 + ((index * 3) % 8);
  return Array.from({ length }, (_, step) => ({
    key: scale[(index + step * (1 + (index % 3))) % scale.length]!,
    holdMs: 120 + ((index * 7 + step * 13) % 5) * 40,
    gapMs: 30 + ((index + step) % 3) * 60,
  }));
}

const round = (value: number) => Math.round(value * 10) / 10;

function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1)!) };
}

export const benchmark: Benchmark = {
  description: `the duet in Chromium against rubato serve (committed models, fresh data dir): ${phrases} phrases on the computer keyboard, end of the pause to the first answered note (scheduled on the piano, and due to sound), ms`,
  async run() {
    // The machine may be shared: the load says how much of it the server and the browser had.
    const loadBefore = loadavg()[0]!;
    const server = await startServeProcess();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await startDuet(page);
      await page.waitForTimeout(settleMs);
      let answers: DuetAnswer[] = [];
      for (let index = 0; index < phrases; index++) {
        await playPhrase(page, phrase(index));
        answers = await waitForAnswers(page, index + 1);
        await page.waitForTimeout(listenMs);
      }
      return {
        server: 'rubato serve --port 0 --data-dir <fresh temp dir> (models/default as latest)',
        phrases,
        pauseSeconds: 0.8,
        loadAverage: { before: round(loadBefore), after: round(loadavg()[0]!) },
        firstNoteScheduledMs: spread(answers.map((answer) => answer.scheduledMs - answer.pauseEndMs)),
        firstNoteSoundingMs: spread(answers.map((answer) => answer.soundingMs - answer.pauseEndMs)),
        requestMs: spread(answers.map((answer) => answer.responseMs - answer.sentMs)),
        answerNotes: spread(answers.map((answer) => answer.notes)),
        answerSeconds: spread(answers.map((answer) => answer.seconds)),
        perPhrase: answers.map((answer) => ({ soundingMs: round(answer.soundingMs - answer.pauseEndMs), requestMs: round(answer.responseMs - answer.sentMs), notes: answer.notes, seconds: round(answer.seconds) })),
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
