/**
 * A one-line download bar for a terminal (`[#####-----]  12.3/52.1 MB`), redrawn in place; without a
 * known total it shows the bytes so far. Writes nothing when the stream is not a TTY.
 */
export class ProgressBar {
  private lastDrawn = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
    /** Null until known (the size may arrive after the download started). */
    public totalBytes: number | null,
    private readonly width = 30,
  ) {}

  static enabled(out: NodeJS.WritableStream): out is NodeJS.WriteStream {
    return (out as NodeJS.WriteStream).isTTY === true;
  }

  update(bytes: number): void {
    const now = Date.now();
    // A terminal redrawn more than ~10 times a second only flickers.
    if (now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    this.draw(bytes);
  }

  /** The final state, then a newline so later output starts on its own line. */
  finish(bytes: number): void {
    this.draw(bytes);
    this.out.write('\n');
  }

  private draw(bytes: number): void {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    let line: string;
    if (this.totalBytes && this.totalBytes > 0) {
      const done = Math.min(1, bytes / this.totalBytes);
      const filled = Math.round(done * this.width);
      line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${mb(Math.min(bytes, this.totalBytes))}/${mb(this.totalBytes)} MB`;
    } else {
      line = `${this.label} ${mb(bytes)} MB`;
    }
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }
}
