import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { parseMidi } from '../../src/midi/parse-midi.js';
import { pianoTrainDir } from '../support/shared-data.js';
import { startTestServer } from '../support/local-server.js';

const chromiumPath = '/usr/bin/chromium';
const screenshotPath = resolve('test-artifacts/playground.png');

/** The smallest real piano file, or undefined (with the reason printed) when the shared data is absent. */
function smallRealMidi(): string | undefined {
  if (!existsSync(pianoTrainDir)) {
    console.warn(`SKIPPED: shared MIDI data not found at ${pianoTrainDir}`);
    return undefined;
  }
  const files = readdirSync(pianoTrainDir).filter((name) => /\.midi?$/i.test(name));
  return files.map((name) => join(pianoTrainDir, name)).sort((a, b) => statSync(a).size - statSync(b).size)[0];
}

const realMidi = smallRealMidi();

describe.skipIf(!realMidi)('playground in a real browser', () => {
  let server: LocalServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does this)`);
    }
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('uploads a real and a broken file, shows both outcomes, generates, draws the piano roll and downloads MIDI', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1500 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);

    await page.setInputFiles('#file-input', [
      { name: 'real piece.mid', mimeType: 'audio/midi', buffer: await readFile(realMidi!) },
      { name: 'broken.mid', mimeType: 'audio/midi', buffer: Buffer.from('MThd\u0000\u0000\u0000\u0006 not really MIDI') },
    ]);
    await page.locator('#files-body tr[data-name="real piece.mid"][data-status="accepted"]').waitFor({ timeout: 20_000 });
    const brokenRow = page.locator('#files-body tr[data-name="broken.mid"][data-status="rejected"]');
    await brokenRow.waitFor();
    expect((await brokenRow.textContent())!.length).toBeGreaterThan('broken.midrejected'.length + 5);
    await expect.poll(() => page.locator('#upload-status').textContent()).toMatch(/real piece\.mid: accepted.*broken\.mid: rejected/);
    expect(await page.locator('#primer option').allTextContents()).toContain('real piece.mid');

    await page.fill('#seconds', '4');
    await page.fill('#seed', '7');
    await page.click('#generate');
    await expect.poll(() => page.locator('#generate-status').textContent(), { timeout: 20_000 }).toMatch(/^Generated \d+ notes/);

    const inkedPixels = await page.evaluate(() => {
      const canvas = document.getElementById('piano-roll') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255) inked += 1;
      return inked;
    });
    expect(inkedPixels).toBeGreaterThan(100);

    const downloaded = await page.evaluate(async () => {
      const link = document.getElementById('download') as HTMLAnchorElement;
      return Array.from(new Uint8Array(await (await fetch(link.href)).arrayBuffer()));
    });
    const sequence = parseMidi(new Uint8Array(downloaded));
    expect(sequence.notes.length).toBeGreaterThan(0);
    expect(await page.locator('#play').isEnabled()).toBe(true);

    await mkdir(resolve('test-artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
