/** A CSV file that cannot be read as one: an unterminated quote. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
}

/**
 * RFC 4180 CSV → rows of fields: quoted fields may hold commas, line breaks and doubled quotes (`""`); CRLF or LF.
 * @example parseCsv('a,"b, c"\n1,2') // [['a', 'b, c'], ['1', '2']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += char;
  }
  if (quoted) throw new CsvError('unterminated quoted field at the end of the CSV');
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((fields) => !(fields.length === 1 && fields[0] === ''));
}

/** CSV with a header line → one record per row keyed by column name (missing cells are ''). */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  return rows.map((fields) => Object.fromEntries(header.map((name, i) => [name.trim(), fields[i] ?? ''])));
}
