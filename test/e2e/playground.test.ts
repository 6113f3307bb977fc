import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { committedModelsDir, defaultModelDir } from '../../src/model/committed-models.js';
import { parseMidi } from '../../src/midi/parse-midi.js';
import { AxeBuilder } from '@axe-core/playwright';
import { launchChromium } from '../support/chromium.js';
import { smallPiece, startTestServer } from '../support/local-server.js';
import { watchPage } from '../support/watched-page.js';

const artifacts = resolve('test-artifacts');

const committedManifest = JSON.parse(readFileSync(join(defaultModelDir, 'manifest.json'), 'utf8'));

interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** A fake Web MIDI with one input and one output; what the page sends lands in `window.sentMidi`. */
function fakeMidiAccess(): void {
  const sent: number[][] = [];
  const input = { id: 'in-1', name: 'Fake keyboard', onmidimessage: null as null | ((event: unknown) => void) };
  const output = { id: 'out-1', name: 'Fake synthesizer', send: (data: number[]) => sent.push([...data]) };
  Object.assign(window, { sentMidi: sent, fakeKeyboard: input });
  Object.defineProperty(navigator, 'requestMIDIAccess', {
    value: async () => ({ inputs: new Map([[input.id, input]]), outputs: new Map([[output.id, output]]), addEventListener: () => {} }),
  });
}

describe('playground in a real browser (Chromium, real local server on 127.0.0.1)', () => {
  let server: LocalServer;
  let browser: Browser;

  beforeAll(async () => {
    // The committed model: real music in the roll and a real run's loss history in the chart, as a user sees them.
    server = await startTestServer({ shippedModelsDir: committedModelsDir });
    // A second published run, not latest.
    const models = join(server.dataDir, 'bucket/models');
    cpSync(join(models, 'default'), join(models, 'run-second'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(models, 'run-second/manifest.json'), 'utf8'));
    // A day newer than the committed model, so it lists first.
    const createdAt = new Date(Date.parse(manifest.createdAt) + 86_400_000).toISOString();
    writeFileSync(join(models, 'run-second/manifest.json'), JSON.stringify({ ...manifest, createdAt }));
    await mkdir(artifacts, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A new page on the playground; `init` runs in it before its scripts, `prepare` (routes) before it loads. */
  async function open(viewport = { width: 1100, height: 1600 }, init?: () => void, prepare?: (page: Page) => Promise<void>): Promise<OpenedPage> {
    // A page of its own context, as axe-core's builder needs.
    const page = await (await browser.newContext({ viewport })).newPage();
    const { errors, requests } = watchPage(page);
    if (init) await page.addInitScript(init);
    await prepare?.(page);
    await page.goto(server.url);
    return { page, errors, requests };
  }

  /** Pixels of each chart series' colour on the uPlot canvas. */
  async function chartColours(page: Page): Promise<Record<string, number>> {
    await page.locator('#loss-chart canvas').waitFor();
    return page.evaluate(() => {
      const canvas = document.querySelector('#loss-chart canvas') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const wanted: Record<string, [number, number, number]> = { train: [59, 111, 216], validation: [216, 116, 59], unigram: [154, 154, 154], trigram: [90, 143, 60] };
      const counts: Record<string, number> = { train: 0, validation: 0, unigram: 0, trigram: 0 };
      for (let i = 0; i < data.length; i += 4) {
        for (const [name, [r, g, b]] of Object.entries(wanted)) {
          if (Math.abs(data[i]! - r) < 6 && Math.abs(data[i + 1]! - g) < 6 && Math.abs(data[i + 2]! - b) < 6 && data[i + 3]! > 200) counts[name]! += 1;
        }
      }
      return counts;
    });
  }
  const allSeriesDrawn = async (page: Page) => Object.values(await chartColours(page)).every((count) => count > 20);

  async function generate(page: Page, seconds = '4'): Promise<void> {
    await page.fill('#seconds', seconds);
    await page.fill('#seed', '7');
    await page.click('#generate');
    await expect.poll(() => page.locator('#generate-status').textContent(), { timeout: 20_000 }).toMatch(/^Generated \d+ notes/);
  }

  it('uploads a valid and a broken file with one summary line, generates, and plays it on the sampled piano from this origin with a moving playhead', async () => {
    const { page, errors, requests } = await open();

    await page.setInputFiles('#file-input', [
      { name: 'little piece.mid', mimeType: 'audio/midi', buffer: Buffer.from(smallPiece(9, 200)) },
      { name: 'broken.mid', mimeType: 'audio/midi', buffer: Buffer.from('MThd\u0000\u0000\u0000\u0006 not really MIDI') },
    ]);
    await page.locator('#files-body tr[data-name="little piece.mid"][data-status="accepted"]').waitFor({ timeout: 20_000 });
    const brokenDetails = (await page.locator('#files-body tr[data-name="broken.mid"][data-status="rejected"] td').nth(2).textContent())!;
    expect(brokenDetails.length).toBeGreaterThan(5);
    expect(brokenDetails).not.toMatch(/^(\w[\w-]*): \1:/);
    await expect.poll(() => page.locator('#upload-status').textContent()).toBe('2 files: 1 accepted, 1 rejected. Details in the table.');
    expect(await page.locator('#primer option').allTextContents()).toContain('little piece.mid');

    await generate(page);
    expect(await page.locator('.roll-time .tick').first().textContent()).toBe('0 s');
    expect(await page.locator('.roll-time .tick').last().textContent()).toMatch(/^\d+(\.\d)? s$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('rubato-7.mid');
    const pitches = parseMidi(new Uint8Array(await readFile(await download.path()))).notes.map((note) => note.pitch);
    expect(pitches.length).toBeGreaterThan(0);
    // A label at every C of the keyboard drawn (the piece's range, two octaves at least), named with C4 = middle C.
    const middle = (Math.min(...pitches) + Math.max(...pitches)) / 2;
    const low = Math.min(Math.floor(middle - 12), ...pitches.map((pitch) => pitch - 2));
    const high = Math.max(Math.ceil(middle + 12), ...pitches.map((pitch) => pitch + 2));
    const cs = Array.from({ length: high - low + 1 }, (_, i) => low + i).filter((pitch) => pitch % 12 === 0);
    expect(await page.locator('.roll-keys .octave').allTextContents()).toEqual(cs.map((pitch) => `C${pitch / 12 - 1}`));

    await page.click('#play');
    await expect.poll(() => page.locator('#piano-status').textContent(), { timeout: 20_000 }).toBe('Piano ready.');
    const playheadX = () => page.locator('.roll-playhead').evaluate((element) => ((element as HTMLElement).hidden ? -1 : new DOMMatrix(getComputedStyle(element).transform).m41));
    await expect.poll(playheadX, { timeout: 5_000 }).toBeGreaterThan(0);
    const first = await playheadX();
    await expect.poll(playheadX, { timeout: 5_000 }).toBeGreaterThan(first);
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });
    await page.click('#stop');
    expect(await page.locator('.roll-playhead').isHidden()).toBe(true);
    await page.click('#play');
    await expect.poll(playheadX, { timeout: 5_000 }).toBeGreaterThan(0);
    await page.click('#stop');

    const samples = requests.filter((url) => url.includes('/vendor/piano/'));
    expect(samples.length).toBe(30);
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('blob:'))).toEqual([]);
    // The server answers a rejected upload with 422, which Chromium logs as a failed resource; nothing else may.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  }, 90_000);

  it('draws the run\'s training and validation loss with the unigram and trigram baselines, again after a reload', async () => {
    const { page, errors } = await open();
    const legend = () => page.locator('#loss-chart .u-legend .u-series th').allTextContents();

    await expect.poll(() => allSeriesDrawn(page), { timeout: 10_000 }).toBe(true);
    const { unigram, trigram } = committedManifest.metrics.baselines;
    expect((await legend()).join('|')).toBe(`training loss|validation loss|unigram baseline (${unigram.toFixed(2)})|trigram baseline (${trigram.toFixed(2)})`);
    expect(await page.locator('#loss-chart-title').textContent()).toBe('Loss of run default');
    await page.locator('#loss-chart').screenshot({ path: join(artifacts, 'chart.png') });

    await page.reload();
    await expect.poll(() => allSeriesDrawn(page), { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists every published model (both shipped ones included) with the latest marked, offers the same names in the picker, and Promote calls POST /models/<runId>/promote', async () => {
    const { page, errors } = await open();

    await page.locator('#models-body tr[data-run-id="run-second"]').waitFor();
    expect(await page.locator('#models-body tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.runId))).toEqual(['run-second', 'large', 'default']);
    expect(await page.locator('#models-body tr[data-run-id="default"] .badge').textContent()).toBe('latest');
    expect(await page.locator('#models-body tr[data-run-id="default"] td').nth(4).textContent()).toBe(committedManifest.metrics.validationNll.toFixed(3));
    expect(await page.locator('#model option').allTextContents()).toEqual(['latest (default)', 'run-second', 'large', 'default']);

    const promoted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/models/run-second/promote');
    await page.click('#models-body tr[data-run-id="run-second"] button');
    await promoted;
    await expect.poll(() => page.locator('#models-status').textContent()).toBe('run-second is now the latest model.');
    await page.locator('section[aria-labelledby="models-title"]').screenshot({ path: join(artifacts, 'models.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows the run of the model that is latest when its history loads, though a promotion came after the first model list', async () => {
    let releaseTrainStatus = () => {};
    const trainStatusHeld = new Promise<void>((resolve) => (releaseTrainStatus = resolve));
    const { page, errors } = await open(undefined, undefined, async (page) => {
      // A slow training status: the page asks for the latest run only once it has it.
      await page.route('**/api/train', async (route) => {
        if (route.request().method() === 'GET') await trainStatusHeld;
        await route.continue();
      });
    });
    // The committed model and its copy play alike, so whichever of the two is not latest can become it.
    await page.locator('#models-body tr .badge').waitFor();
    const promoted = (await page.locator('#models-body tr[data-run-id="default"] .badge').count()) === 1 ? 'run-second' : 'default';
    await page.click(`#models-body tr[data-run-id="${promoted}"] button`);
    await expect.poll(() => page.locator('#models-status').textContent()).toBe(`${promoted} is now the latest model.`);
    releaseTrainStatus();

    await expect.poll(() => page.locator('#loss-chart-title').textContent(), { timeout: 10_000 }).toBe(`Loss of run ${promoted}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('disables the steering controls with a tooltip for a model without them, and sends a preset\'s controls to /generate for one with them', async () => {
    const { page, errors } = await open();
    const withControls = async (controls: object | null) => {
      await page.unroute('**/models');
      await page.route('**/models', async (route) => {
        const body = await (await route.fetch()).json();
        body.models = body.models.map((model: object) => ({ ...model, controls }));
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
      });
      await page.reload();
    };
    // The committed model has controls; an older one without them is what GET /models says with controls: null.
    await withControls(null);
    await page.locator('#models-body tr[data-run-id="default"]').waitFor();
    await expect.poll(() => page.locator('#controls').evaluate((fieldset) => (fieldset as HTMLFieldSetElement).disabled)).toBe(true);
    expect(await page.locator('#density').isDisabled()).toBe(true);
    expect(await page.locator('#controls').getAttribute('title')).toMatch(/trained without steering controls/);

    await withControls({ density: { min: 0.5, max: 40 }, keys: ['C', 'Am', 'Db', 'G'], dynamics: ['pp', 'p', 'mp', 'mf', 'f', 'ff'], styles: ['any', 'Bach', 'Chopin'] });
    await expect.poll(() => page.locator('#density').isDisabled()).toBe(false);
    expect(await page.locator('#key option').allTextContents()).toEqual(['free', 'C', 'Am', 'Db', 'G']);
    await page.selectOption('#preset', 'etude');
    expect(await page.locator('#density').inputValue()).toBe('16');
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/generate');
    await page.click('#generate');
    const query = new URL((await sent).url()).searchParams;
    expect(Object.fromEntries(['density', 'key', 'dynamics', 'style'].map((name) => [name, query.get(name)]))).toEqual({ density: '16', key: 'C', dynamics: 'f', style: 'any' });
    await page.locator('#generate-form').screenshot({ path: join(artifacts, 'controls.png') });
    expect(errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
  }, 60_000);

  it('runs under its strict Content-Security-Policy with no violation (generate, chart, piano, MIDI), and no other site can frame it', async () => {
    const { page, errors } = await open({ width: 1100, height: 1600 }, () => {
      const violations: string[] = [];
      Object.assign(window, { cspViolations: violations });
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
    });
    const answer = await page.request.get(server.url);
    expect(answer.headers()['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'none'/);
    expect(answer.headers()['x-content-type-options']).toBe('nosniff');
    expect(answer.headers()['referrer-policy']).toBe('same-origin');

    await expect.poll(() => allSeriesDrawn(page), { timeout: 10_000 }).toBe(true);
    await generate(page);
    await page.click('#play');
    await expect.poll(() => page.locator('#piano-status').textContent(), { timeout: 20_000 }).toBe('Piano ready.');
    await page.click('#stop');
    await page.click('#duet-start');
    await page.click('#duet-start');
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(errors).toEqual([]);

    // Another site's page frames the playground: the browser shows nothing of it; without the headers it would.
    const framing = await browser.newPage();
    const framed = async () => {
      await framing.setContent(`<iframe src="${server.url}"></iframe>`);
      return framing.frameLocator('iframe').locator('#train-start').count();
    };
    expect(await framed()).toBe(0);
    await framing.route(server.url, async (route) => {
      const { 'content-security-policy': _policy, 'x-frame-options': _frameOptions, ...headers } = (await route.fetch()).headers();
      await route.fulfill({ response: await route.fetch(), headers });
    });
    expect(await framed()).toBe(1);
    await framing.close();
  }, 60_000);

  it('takes the number fields\' limits from GET /openapi.json and each model\'s sampling defaults from GET /models, and sends only what the user changed', async () => {
    const sampling = { temperature: 0.9, topP: 0.9, withPrimer: { topP: 0.99 } };
    const { page, errors } = await open(undefined, undefined, async (page) => {
      await page.route('**/openapi.json', async (route) => {
        const openapi = await (await route.fetch()).json();
        const topK = openapi.paths['/generate'].get.parameters.find((parameter: { name: string }) => parameter.name === 'topK');
        topK.schema.maximum = 77;
        const seconds = openapi.paths['/generate'].get.parameters.find((parameter: { name: string }) => parameter.name === 'seconds');
        seconds.schema.default = 12;
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(openapi) });
      });
      await page.route('**/models', async (route) => {
        const body = await (await route.fetch()).json();
        body.models = body.models.map((model: { runId: string }) => ({ ...model, sampling: model.runId === 'default' ? sampling : null }));
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
      });
    });
    const field = (name: string) => page.locator(`#${name}`);
    await expect.poll(() => field('topK').getAttribute('max')).toBe('77');
    expect(await field('temperature').getAttribute('min')).toBe('0.1');
    expect(await field('seconds').inputValue()).toBe('12');
    await page.selectOption('#model', 'default');
    await expect.poll(() => field('topP').inputValue()).toBe('0.9');
    expect(await field('temperature').inputValue()).toBe('0.9');
    expect(await field('topK').inputValue()).toBe('0');

    // A model without its own defaults shows rubato's; back on the committed one, a primer brings its continuation default.
    await page.selectOption('#model', 'large');
    expect(await field('topP').inputValue()).toBe('0.95');
    expect(await field('temperature').inputValue()).toBe('1');
    await page.selectOption('#model', 'default');
    await page.setInputFiles('#file-input', [{ name: 'primer piece.mid', mimeType: 'audio/midi', buffer: Buffer.from(smallPiece(11, 40)) }]);
    await page.locator('#primer option[value="primer piece.mid"]').waitFor({ state: 'attached', timeout: 20_000 });
    await page.selectOption('#primer', 'primer piece.mid');
    expect(await field('topP').inputValue()).toBe('0.99');

    const sent = () => page.waitForRequest((request) => new URL(request.url()).pathname === '/generate').then((request) => JSON.parse(request.postData()!));
    const untouched = sent();
    await generate(page);
    expect(Object.keys(await untouched).filter((name) => ['temperature', 'topK', 'topP'].includes(name))).toEqual([]);
    await page.fill('#topK', '5');
    const changed = sent();
    await page.click('#generate');
    expect(await changed).toMatchObject({ topK: 5 });
    expect(Object.keys(await changed).filter((name) => ['temperature', 'topP'].includes(name))).toEqual([]);
    await expect.poll(() => page.locator('#generate').isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it('reaches and plays the piano roll\'s notes from the keyboard, with each note read out', async () => {
    const { page, errors } = await open();
    await page.locator('#models-body tr').first().waitFor();
    await generate(page);
    const said = () => page.locator('#roll .roll-note').textContent();
    await page.focus('#roll .roll-scroll');
    await page.keyboard.press('ArrowRight');
    expect(await said()).toMatch(/^[A-G][♯♭]?-?\d at 0\.\d\d s, \d+\.\d\d s long, velocity \d+$/);
    await page.keyboard.press('End');
    const last = await said();
    expect(last).not.toMatch(/ at 0\.\d\d s,/);
    await page.keyboard.press('ArrowLeft');
    expect(await said()).not.toBe(last);

    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#piano-status').textContent(), { timeout: 20_000 }).toBe('Piano ready.');
    const struck = await page.evaluate(() => {
      const struckNotes: string[] = [];
      const sampler = (window as unknown as { Tone: { Sampler: { prototype: { triggerAttackRelease: (...args: unknown[]) => unknown } } } }).Tone.Sampler.prototype;
      const original = sampler.triggerAttackRelease;
      sampler.triggerAttackRelease = function (this: unknown, ...args: unknown[]) {
        struckNotes.push(String(args[0]));
        return original.apply(this, args);
      };
      Object.assign(window, { struckNotes });
      return struckNotes;
    });
    expect(struck).toEqual([]);
    await page.keyboard.press(' ');
    const played = await page.evaluate(() => (window as unknown as { struckNotes: string[] }).struckNotes);
    // Two layers (bright and dark) of the one note selected: the note the roll reads out.
    expect(played).toHaveLength(2);
    const [, name, octave] = /^([A-G][♯♭]?)(-?\d) /.exec((await said())!)!;
    const saidPitch = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'].indexOf(name!) + (Number(octave) + 1) * 12;
    expect(await page.evaluate((note) => (window as unknown as { Tone: { Frequency: (note: string) => { toMidi(): number } } }).Tone.Frequency(note).toMidi(), played[0]!)).toBe(saidPitch);
    expect(errors).toEqual([]);
  }, 60_000);

  it('has no serious or critical accessibility violations (axe-core), with a piece in the roll and the MIDI panel open; toggles say whether they are on', async () => {
    const { page, errors } = await open({ width: 1100, height: 1600 }, fakeMidiAccess);
    await page.locator('#models-body tr').first().waitFor();
    await expect.poll(() => allSeriesDrawn(page), { timeout: 10_000 }).toBe(true);
    await generate(page);
    await expect.poll(() => page.locator('#midi-status').textContent()).toBe('1 MIDI input, 1 output connected.');

    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);

    expect(await page.locator('#duet-start').getAttribute('aria-pressed')).toBe('false');
    await page.click('#duet-start');
    expect(await page.locator('#duet-start').getAttribute('aria-pressed')).toBe('true');
    await page.click('#duet-start');
    expect(await page.locator('#duet-start').getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
  }, 60_000);

  it('fits a 390 px wide phone screen without sideways scrolling, and serves a favicon', async () => {
    const { page, errors } = await open({ width: 390, height: 844 });
    await page.locator('#models-body tr').first().waitFor();
    await generate(page, '8');
    const overflowing = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !element.closest('.table-scroll, .roll-scroll'))
        .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`),
    );
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect((await page.request.get(new URL('/favicon.ico', server.url).href)).status()).toBe(200);
    await page.screenshot({ path: join(artifacts, 'phone.png'), fullPage: true });
    await page.locator('section[aria-labelledby="generate-title"]').screenshot({ path: join(artifacts, 'phone-generate.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('says clearly when the browser gives no MIDI access', async () => {
    const { page, errors } = await open({ width: 1100, height: 1600 }, () => {
      Object.defineProperty(navigator, 'requestMIDIAccess', { value: () => Promise.reject(new DOMException('Permission denied', 'SecurityError')) });
    });
    await expect.poll(() => page.locator('#midi-status').textContent()).toMatch(/^No MIDI access \(Permission denied\)\. Allow MIDI/);
    expect(await page.locator('#midi-controls').isHidden()).toBe(true);
    expect(await page.locator('#midi-record').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  }, 30_000);

  it('sends the piece to a MIDI output and turns keys played on a MIDI keyboard into the primer of the next piece (fake Web MIDI)', async () => {
    const { page, errors } = await open({ width: 1100, height: 1600 }, fakeMidiAccess);
    await expect.poll(() => page.locator('#midi-status').textContent()).toBe('1 MIDI input, 1 output connected.');
    await page.locator('#models-body tr').first().waitFor();
    await generate(page);
    await page.click('#midi-send');
    const sent = await page.evaluate(() => (window as unknown as { sentMidi: number[][] }).sentMidi);
    expect(sent.filter(([status]) => status === 0x90).length).toBeGreaterThan(0);
    expect(sent.filter(([status]) => status === 0x90).length).toBe(sent.filter(([status]) => status === 0x80).length);

    await page.click('#midi-record');
    expect(await page.locator('#midi-record').getAttribute('aria-pressed')).toBe('true');
    await page.evaluate(() => {
      const keyboard = (window as unknown as { fakeKeyboard: { onmidimessage: (event: unknown) => void } }).fakeKeyboard;
      const play = (data: number[], timeStamp: number) => keyboard.onmidimessage({ data: new Uint8Array(data), timeStamp });
      [60, 64, 67, 72].forEach((pitch, index) => {
        play([0x90, pitch, 90], 1000 + index * 400);
        play([0x80, pitch, 0], 1300 + index * 400);
      });
    });
    await page.click('#midi-record');
    expect(await page.locator('#midi-record').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('#primer').inputValue()).toBe('(recorded)');
    expect(await page.locator('#primer option:checked').textContent()).toBe('your recording (4 notes)');

    const request = page.waitForRequest((candidate) => new URL(candidate.url()).pathname === '/generate' && candidate.method() === 'POST');
    await generate(page);
    const body = JSON.parse((await request).postData()!);
    const primer = Buffer.from(body.primer, 'base64');
    expect(parseMidi(new Uint8Array(primer)).notes.map((note) => note.pitch)).toEqual([60, 64, 67, 72]);
    expect(body.followPrimer).toBe(true);
    // The C-major arpeggio's key and density went into the continuation, and the page says so.
    expect(await page.locator('#generate-status').textContent()).toMatch(/Taken from the primer: density=[\d.]+, key=C\b/);
    expect(await page.locator('.roll-primer').isVisible()).toBe(true);
    await page.locator('#roll').screenshot({ path: join(artifacts, 'roll-with-primer.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  // Last: the run it trains becomes the newest model, which the tests above do not expect.
  it('draws a training run live and, once it is published, its whole history with its own baselines', async () => {
    const { page, errors } = await open();
    await page.setInputFiles('#file-input', [1, 2, 3].map((variant) => ({ name: `exercise ${variant}.mid`, mimeType: 'audio/midi', buffer: Buffer.from(smallPiece(variant, 400)) })));
    await expect.poll(() => page.locator('#upload-status').textContent(), { timeout: 20_000 }).toBe('3 files: 3 accepted. Details in the table.');

    await page.fill('#train-minutes', '0.1');
    await page.click('#train-start');
    await expect.poll(() => page.locator('#loss-chart-title').textContent(), { timeout: 30_000 }).toMatch(/^Loss of run run-\S+ \(in progress\)$/);
    await expect.poll(() => page.locator('#train-status').textContent(), { timeout: 60_000 }).toMatch(/^Idle — run run-\S+ finished\. /);

    await expect.poll(() => page.locator('#loss-chart-title').textContent(), { timeout: 10_000 }).toMatch(/^Loss of run run-\S+$/);
    await expect.poll(() => allSeriesDrawn(page), { timeout: 10_000 }).toBe(true);
    const legend = (await page.locator('#loss-chart .u-legend .u-series th').allTextContents()).join('|');
    expect(legend).toMatch(/^training loss\|validation loss\|unigram baseline \(\d\.\d\d\)\|trigram baseline \(\d\.\d\d\)$/);
    expect(legend).not.toContain(`(${committedManifest.metrics.baselines.unigram.toFixed(2)})`);
    await page.locator('section[aria-labelledby="train-title"]').screenshot({ path: join(artifacts, 'training.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});
