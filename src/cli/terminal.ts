/**
 * Colour where a terminal is attached and NO_COLOR is unset (https://no-color.org), plain text
 * otherwise, so piped output and logs stay clean.
 */
export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const PLAIN: Paint = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t, cyan: (t) => t };

function sgr(code: number): (text: string) => string {
  return (text) => `\u001b[${code}m${text}\u001b[0m`;
}

const COLOUR: Paint = { bold: sgr(1), dim: sgr(2), red: sgr(31), green: sgr(32), yellow: sgr(33), cyan: sgr(36) };

export function paintFor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Paint {
  const tty = (out as NodeJS.WriteStream).isTTY === true;
  return tty && !env.NO_COLOR ? COLOUR : PLAIN;
}

/**
 * Rows as aligned columns under a bold header; `colour` paints a cell after it was padded (colour
 * codes have no width).
 */
export function formatTable(header: string[], rows: string[][], paint: Paint, colour: (row: number, column: number, padded: string) => string = (_r, _c, p) => p): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)));
  const lines = [paint.bold(pad(header).join('  ').trimEnd()), ...rows.map((r, row) => pad(r).map((c, column) => colour(row, column, c)).join('  ').trimEnd())];
  return lines.join('\n') + '\n';
}
