// Talking to the server: every error answer is `{ error: { code, message } }`.

/** The server's error as an Error whose message a person can read. */
export async function errorOf(response) {
  const body = await response.json().catch(() => ({}));
  return new Error(body.error?.message ?? `${response.status} ${response.statusText}`);
}

/** Reads a JSON answer; throws the server's error message. */
export async function jsonOf(response) {
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export const $ = (id) => document.getElementById(id);

export function base64Of(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
