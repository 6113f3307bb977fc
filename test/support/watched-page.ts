import type { Page } from 'playwright-core';

/**
 * What a page reports while a test drives it: its uncaught errors and console errors (a test expects none), and every
 * URL it requests (a test checks they stay on the page's own origin).
 *
 * @example const { errors, requests } = watchPage(page); await page.goto(url); expect(errors).toEqual([]);
 */
export function watchPage(page: Page): { errors: string[]; requests: string[] } {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => requests.push(request.url()));
  return { errors, requests };
}
