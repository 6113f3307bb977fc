import type { ServerResponse } from 'node:http';

/**
 * What the playground may load and who may frame it. Everything it needs comes from this origin: its modules, the
 * vendored Tone.js and uPlot, the piano samples (fetched and decoded by Web Audio), the API. Tone.js runs its clock in
 * a worker built from a `blob:` of its own code, hence `worker-src blob:`. No inline script or style attribute is
 * written (scripts set styles through the CSSOM, which a policy does not restrict), and Web MIDI is a permission, not
 * a fetch. `frame-ancestors 'none'` is the point: no other site can frame the page and trick a click on Train or Promote.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Sent with every answer of the local server, the page and its API alike: an answer is never framed (the old
 * `X-Frame-Options` for browsers without `frame-ancestors`), never sniffed into another type, and never tells another
 * site which page of the playground linked to it.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Sets {@link securityHeaders} on `response` before any route writes its own headers (writeHead merges them). */
export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
}
