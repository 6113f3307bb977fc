/** What the loss curve and the piano roll share: escaping, scales, tick choice and the axes frame. */

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Tick {
  value: number;
  label: string;
}

export type Scale = (value: number) => number;

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Maps `[domainMin, domainMax]` linearly onto `[rangeFrom, rangeTo]`; a zero-width domain maps to the range's middle. */
export function linearScale(domainMin: number, domainMax: number, rangeFrom: number, rangeTo: number): Scale {
  const span = domainMax - domainMin;
  if (span === 0) return () => (rangeFrom + rangeTo) / 2;
  return (value) => rangeFrom + ((value - domainMin) / span) * (rangeTo - rangeFrom);
}

/**
 * About `targetCount` round ticks (steps of 1, 2 or 5 × 10^k) from at or below `min` to at or above `max`, so a
 * scale over the first and last tick holds every value; labelled with as many decimals as the step needs.
 * @example niceTicks(0, 31.7, 8).map((t) => t.label) // ['0', '5', '10', '15', '20', '25', '30', '35']
 */
export function niceTicks(min: number, max: number, targetCount: number): Tick[] {
  const rough = (max - min) / Math.max(1, targetCount) || 1;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: Tick[] = [];
  const lastIndex = Math.ceil(max / step - 1e-9);
  for (let index = Math.floor(min / step + 1e-9); index <= lastIndex; index++) {
    const value = index * step;
    ticks.push({ value, label: value.toFixed(decimals) });
  }
  return ticks;
}

/** A coordinate with one decimal: enough on screen, and it keeps files small. */
export function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10);
}

interface AxesSpec {
  area: PlotArea;
  xTicks: Tick[];
  yTicks: Tick[];
  xScale: Scale;
  yScale: Scale;
  xLabel: string;
  yLabel: string;
}

/** Grid lines at the ticks, tick labels and axis titles, framed by the plot area. */
export function renderAxes({ area, xTicks, yTicks, xScale, yScale, xLabel, yLabel }: AxesSpec): string[] {
  const bottom = area.top + area.height;
  const right = area.left + area.width;
  const lines: string[] = ['<g class="axes" stroke="#ddd" stroke-width="1">'];
  for (const tick of xTicks) lines.push(`<line x1="${coordinate(xScale(tick.value))}" y1="${area.top}" x2="${coordinate(xScale(tick.value))}" y2="${bottom}"/>`);
  for (const tick of yTicks) lines.push(`<line x1="${area.left}" y1="${coordinate(yScale(tick.value))}" x2="${right}" y2="${coordinate(yScale(tick.value))}"/>`);
  lines.push(`<rect x="${area.left}" y="${area.top}" width="${area.width}" height="${area.height}" fill="none" stroke="#444"/>`, '</g>');
  lines.push('<g class="tick-labels" font-size="12" fill="#333">');
  for (const tick of xTicks) lines.push(`<text x="${coordinate(xScale(tick.value))}" y="${bottom + 18}" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  for (const tick of yTicks) lines.push(`<text x="${area.left - 8}" y="${coordinate(yScale(tick.value) + 4)}" text-anchor="end">${escapeXml(tick.label)}</text>`);
  lines.push('</g>');
  lines.push(`<text x="${coordinate(area.left + area.width / 2)}" y="${bottom + 40}" text-anchor="middle" font-size="13">${escapeXml(xLabel)}</text>`);
  const yMiddle = coordinate(area.top + area.height / 2);
  lines.push(`<text x="16" y="${yMiddle}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${yMiddle})">${escapeXml(yLabel)}</text>`);
  return lines;
}

/** A standalone SVG document (white background, sans-serif) of the given size around `body`. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
