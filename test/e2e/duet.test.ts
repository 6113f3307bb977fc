import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playPhrase, startDuet, waitForAnswers, type PhraseKey } from '../../fixtures/duet-page.js';
import { restBeforeAnswerSeconds } from '../../web/duet-phrase.js';
import { startServeProcess, type ServeProcess } from '../../fixtures/rubato-serve.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/watched-page.js';

const artifacts = resolve('test-artifacts');

/** C D E G E D on the Q row (C4 up), each held a fifth of a second: about 1.4 s. */
const phrase: PhraseKey[] = ['q', 'w', 'e', 't', 'e', 'w'].map((key) => ({ key, holdMs: 200, gapMs: 40 }));

/** Pixels of the duet roll drawn in the player's green and in rubato's orange (hues as in piano-roll.js). */
function rollVoices(page: Page): Promise<{ player: number; answer: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('#duet-roll canvas') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const counts = { player: 0, answer: 0 };
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]! / 255, data[i + 1]! / 255, data[i + 2]! / 255];
      const max = Math.max(r, g, b);
      const chroma = max - Math.min(r, g, b);
      if (chroma < 0.25) continue;
      const hue = max === r ? (60 * ((g - b) / chroma) + 360) % 360 : max === g ? 60 * ((b - r) / chroma) + 120 : 60 * ((r - g) / chroma) + 240;
      if (Math.abs(hue - 145) < 8) counts.player += 1;
      if (Math.abs(hue - 28) < 8) counts.answer += 1;
    }
    return counts;
  });
}

/** Every note the sampled piano starts, with when (performance.now()), by wrapping Tone's sampler. */
function countPianoAttacks(page: Page): Promise<void> {
  return page.evaluate(() => {
    const attacks: number[] = [];
    Object.assign(window, { pianoAttacks: attacks });
    const sampler = (window as unknown as { Tone: { Sampler: { prototype: { triggerAttack: (...args: unknown[]) => unknown } } } }).Tone.Sampler.prototype;
    const original = sampler.triggerAttack;
    sampler.triggerAttack = function (this: unknown, ...args: unknown[]) {
      attacks.push(performance.now());
      return original.apply(this, args);
    };
  });
}

const pianoAttacks = (page: Page) => page.evaluate(() => (window as unknown as { pianoAttacks: number[] }).pianoAttacks);

/** A fake Web MIDI with one keyboard and one synthesizer; what the page sends lands in `window.sentMidi`, `clear()` calls count in `window.midiClears`. */
function fakeMidiAccess(): void {
  const sent: { data: number[]; timestamp: number }[] = [];
  const state = { clears: 0 };
  const input = { id: 'in-1', name: 'Fake keyboard', onmidimessage: null as null | ((event: unknown) => void) };
  const output = { id: 'out-1', name: 'Fake synthesizer', send: (data: number[], timestamp = 0) => sent.push({ data: [...data], timestamp }), clear: () => (state.clears += 1) };
  Object.assign(window, { sentMidi: sent, midiState: state, fakeKeyboard: input });
  Object.defineProperty(navigator, 'requestMIDIAccess', {
    value: async () => ({ inputs: new Map([[input.id, input]]), outputs: new Map([[output.id, output]]), addEventListener: () => {} }),
  });
}

/** A message from the fake MIDI keyboard, stamped now as a real one is. */
const fromKeyboard = (page: Page, data: number[]) =>
  page.evaluate((bytes) => (window as unknown as { fakeKeyboard: { onmidimessage: (event: unknown) => void } }).fakeKeyboard.onmidimessage({ data: new Uint8Array(bytes), timeStamp: performance.now() }), data);

describe('duet in a real browser (Chromium, real `rubato serve` process on 127.0.0.1 with the committed models)', () => {
  let server: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServeProcess();
    browser = await launchChromium();
    await mkdir(artifacts, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers a phrase played on the computer keyboard with new notes, drawn after it in rubato\'s colour and played from this origin; a key press cuts the answer off', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const { errors, requests } = watchPage(page);
    await page.goto(server.url);
    await countPianoAttacks(page);
    await startDuet(page);
    expect(await page.locator('#duet').getAttribute('data-state')).toBe('listening');

    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/generate' && JSON.parse(request.postData() ?? '{}').primer?.length === phrase.length);
    await playPhrase(page, phrase);
    const body = JSON.parse((await sent).postData()!);
    expect(body.primer.map((note: { pitch: number }) => note.pitch)).toEqual([60, 62, 64, 67, 64, 62]);
    expect(body.primer[0].start).toBe(0);
    // Every key was let go: the phrase stops after its last release, so the answer takes none of its notes as held.
    expect(body.primerEnd).toBeGreaterThan(Math.max(...body.primer.map((note: { end: number }) => note.end)));
    // About the phrase's length, and room for the rest the model may take before it answers.
    expect(body.seconds).toBeGreaterThanOrEqual(2 + restBeforeAnswerSeconds);
    // The phrase is played in real time: on a loaded machine the key presses land late and stretch it a little.
    expect(body.seconds).toBeLessThanOrEqual(3.5 + restBeforeAnswerSeconds);

    const [answer] = await waitForAnswers(page, 1);
    expect(answer!.notes).toBeGreaterThan(0);
    expect(answer!.soundingMs).toBeGreaterThan(answer!.pauseEndMs);
    expect(await page.locator('#duet').getAttribute('data-state')).toBe('answering');
    expect(await page.locator('#duet-latency').textContent()).toMatch(/^First answered note \d+ ms after your pause/);
    const voices = await rollVoices(page);
    expect(voices.player).toBeGreaterThan(50);
    expect(voices.answer).toBeGreaterThan(50);
    await page.locator('#duet').screenshot({ path: join(artifacts, 'duet.png') });

    // Cut in while rubato still has notes to play: only the key pressed sounds afterwards (two layers per note).
    expect(answer!.seconds).toBeGreaterThan(0.5);
    const before = (await pianoAttacks(page)).length;
    const cutAt = await page.evaluate(() => performance.now());
    await page.keyboard.down('z');
    expect(await page.locator('#duet').getAttribute('data-state')).toBe('playing');
    await page.waitForTimeout(Math.min(1500, answer!.seconds * 1000));
    const after = (await pianoAttacks(page)).filter((at) => at > cutAt);
    expect(before).toBeGreaterThan(2);
    expect(after).toHaveLength(2);
    expect(await page.locator('#duet-keys .key.answer').count()).toBe(0);
    await page.keyboard.up('z');

    expect(requests.filter((url) => url.includes('/vendor/piano/'))).toHaveLength(30);
    // Tone.js runs its clock in a worker made from a blob of this page: same origin too.
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith(`blob:${server.url}`))).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('takes the phrase from a MIDI keyboard (sustain pedal too), sends the answer to the MIDI output, and silences it there when a key cuts in (fake Web MIDI)', async () => {
    const page = await browser.newPage();
    await page.addInitScript(fakeMidiAccess);
    await page.goto(server.url);
    await expect.poll(() => page.locator('#midi-status').textContent()).toBe('1 MIDI input, 1 output connected.');
    await startDuet(page);
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/generate' && JSON.parse(request.postData() ?? '{}').primer?.length === 3);

    // D, F, A, the last two released while the pedal is down: the phrase ends when the pedal comes up.
    for (const pitch of [62, 65, 69]) {
      await fromKeyboard(page, [0x90, pitch, 100]);
      await page.waitForTimeout(150);
      if (pitch === 65) await fromKeyboard(page, [0xb0, 64, 127]);
      await fromKeyboard(page, [0x80, pitch, 0]);
    }
    await page.waitForTimeout(1000);
    expect(await page.locator('#duet').getAttribute('data-state')).toBe('playing');
    await fromKeyboard(page, [0xb0, 64, 0]);
    const body = JSON.parse((await sent).postData()!);
    expect(body.primer.map((note: { pitch: number; velocity: number }) => [note.pitch, note.velocity])).toEqual([[62, 100], [65, 100], [69, 100]]);
    expect(body.primer[2].end).toBeGreaterThan(1);

    const [answer] = await waitForAnswers(page, 1);
    const midi = () => page.evaluate(() => (window as unknown as { sentMidi: { data: number[] }[] }).sentMidi.map((message) => message.data));
    await expect.poll(async () => (await midi()).filter(([status]) => status === 0x90).length).toBeGreaterThan(0);
    await fromKeyboard(page, [0x90, 48, 90]);
    expect(await page.evaluate(() => (window as unknown as { midiState: { clears: number } }).midiState.clears)).toBe(1);
    const messages = await midi();
    const sounding = new Set<number>();
    for (const [status, pitch] of messages) {
      if (status === 0x90) sounding.add(pitch!);
      else sounding.delete(pitch!);
    }
    // Every note the output was told to start it was told to end, at the cut at the latest.
    expect([...sounding]).toEqual([]);
    expect(messages.filter(([status]) => status === 0x90).length).toBeLessThanOrEqual(answer!.notes);
  }, 60_000);

  it('cancels the request when a key is pressed while rubato thinks, and goes on with the same phrase', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await startDuet(page);
    // A slow server: the answer is still on its way when the player plays on.
    await page.route('**/generate', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue().catch(() => {});
    });
    const aborted = page.waitForEvent('requestfailed', (request) => new URL(request.url()).pathname === '/generate');
    await playPhrase(page, phrase.slice(0, 3));
    await page.waitForFunction(() => document.getElementById('duet')!.dataset.state === 'thinking');
    await playPhrase(page, phrase.slice(3, 4));
    expect((await aborted).failure()?.errorText).toMatch(/ABORTED/);
    await page.unroute('**/generate');

    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/generate' && request.method() === 'POST');
    const body = JSON.parse((await sent).postData()!);
    expect(body.primer.map((note: { pitch: number }) => note.pitch)).toEqual([60, 62, 64, 67]);
    await waitForAnswers(page, 1);
    expect(await page.locator('#duet').getAttribute('data-state')).toBe('answering');
  }, 60_000);
});
