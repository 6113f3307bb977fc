import { request } from 'node:http';

export interface UploadAnswer {
  status: number;
  retryAfterSeconds?: number;
}

/** One `POST` of `bytes` as audio/midi; resolves with the status (and a 503's Retry-After) once the answer has arrived. */
export function postMidi(url: URL, bytes: Uint8Array): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'audio/midi', 'content-length': bytes.length } }, (response) => {
      response.resume();
      const retryAfter = Number(response.headers['retry-after']);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) }));
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

/** Uploads until the answer is not a 503, waiting the Retry-After asked between tries, as a careful client does. */
export async function postUntilServed(url: URL, bytes: Uint8Array): Promise<{ status: number; busyAnswers: number }> {
  for (let busyAnswers = 0; ; busyAnswers++) {
    const answer = await postMidi(url, bytes);
    if (answer.status !== 503) return { status: answer.status, busyAnswers };
    await new Promise((resolve) => setTimeout(resolve, (answer.retryAfterSeconds ?? 1) * 1000));
  }
}
