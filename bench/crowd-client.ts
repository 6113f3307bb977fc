import { readFileSync } from 'node:fs';
import { postUntilServed } from './upload-client.js';

// `node --import tsx bench/crowd-client.ts <server url> <MIDI file> <clients>`: that many clients upload the file at
// once (as crowd-<i>.mid), each until it is served; prints their outcomes as one JSON line. A process of its own, so the
// clients' work (writing every refused 5 MiB body again) is not counted against the server's event loop and memory.
const [baseUrl, file, clients] = process.argv.slice(2) as [string, string, string];
const bytes = new Uint8Array(readFileSync(file));
const outcomes = await Promise.all(
  Array.from({ length: Number(clients) }, (_, index) => postUntilServed(new URL(`/api/uploads?name=crowd-${index}.mid`, baseUrl), bytes)),
);
console.log(JSON.stringify(outcomes));
