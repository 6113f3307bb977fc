import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/dataset/tokenize-file.js';
import type { LocalServer } from '../../src/local/local-server.js';
import { smallPiece, startTestServer } from '../support/local-server.js';

const midiType = { 'content-type': 'audio/midi' };

/** POSTs each file to `/api/uploads?name=<name>` at once, file i to server i mod n; the answers in file order. */
async function uploadAtOnce(servers: LocalServer[], name: string, files: Uint8Array[]): Promise<Array<{ status: number; body: { digest?: string; error?: { code: string } } }>> {
  const answers = await Promise.all(
    files.map((bytes, index) =>
      fetch(new URL(`/api/uploads?name=${name}`, servers[index % servers.length]!.url), { method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: midiType }),
    ),
  );
  return Promise.all(answers.map(async (answer) => ({ status: answer.status, body: await answer.json() })));
}

/** Every dataset entry's source still holds the bytes the entry was made from. */
function entriesWithoutBytes(dataDir: string): string[] {
  const folder = join(dataDir, 'bucket/datasets/performance');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as { digest: string; source: string })
    .filter((meta) => {
      try {
        return digestOf(readFileSync(join(dataDir, 'bucket', meta.source))) !== meta.digest;
      } catch {
        return true;
      }
    })
    .map((meta) => `${meta.source} (${meta.digest.slice(0, 8)})`);
}

describe.each([
  ['one server', 1],
  ['two servers on one data folder', 2],
])('six different files uploaded at once under one new name, %s (real local server; issue 24, item 1)', (_, serverCount) => {
  it('exactly one wins: one 200 naming its own bytes, the rest 409, the stored bytes are the winner’s, no entry whose bytes are gone', async () => {
    const first = await startTestServer();
    const servers = [first];
    try {
      for (let more = 1; more < serverCount; more++) servers.push(await startTestServer({ dataDir: first.dataDir }));
      for (let round = 0; round < 3; round++) {
        const name = `race-${round}.mid`;
        const files = Array.from({ length: 6 }, (_, index) => smallPiece(round * 6 + index + 1));

        const answers = await uploadAtOnce(servers, name, files);

        const winners = answers.flatMap((answer, index) => (answer.status === 200 ? [index] : []));
        expect(winners, JSON.stringify(answers)).toHaveLength(1);
        const winner = winners[0]!;
        expect(answers[winner]!.body.digest).toBe(digestOf(files[winner]!));
        for (const answer of answers.filter((_, index) => index !== winner)) {
          expect(answer.status).toBe(409);
          expect(['being-checked', 'name-taken']).toContain(answer.body.error?.code);
        }
        expect(digestOf(readFileSync(join(first.dataDir, 'bucket/uploads', name)))).toBe(digestOf(files[winner]!));
      }
      expect(entriesWithoutBytes(first.dataDir)).toEqual([]);
      expect(readdirSync(join(first.dataDir, 'bucket/datasets/performance')).filter((file) => file.endsWith('.json'))).toHaveLength(3);
    } finally {
      for (const server of servers) await server.close();
    }
  }, 60_000);
});
