/**
 * Live progress on stderr: on a TTY one bar line redrawn in place (lines printed through `print` go above it); on
 * anything else (a pipe, a CI log) no bar at all, only the plain lines.
 */
export class Progress {
  private task = '';
  private taskIndex = 0;
  private taskCount = 0;
  private done = 0;
  private total = 0;
  private label = '';
  private shown = false;
  private lastDraw = 0;
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    readonly tty: boolean = !!stream.isTTY && process.env.TERM !== 'dumb',
  ) {
    if (this.tty) {
      this.timer = setInterval(() => this.draw(true), 1000);
      this.timer.unref();
    }
  }

  /** A new task starts (index from 0). */
  startTask(index: number, count: number, name: string): void {
    Object.assign(this, { taskIndex: index, taskCount: count, task: name, done: 0, total: 0, label: '' });
    this.draw(true);
  }

  update(done: number, total: number, label?: string): void {
    this.done = done;
    this.total = total;
    if (label !== undefined) this.label = label;
    this.draw(false);
  }

  /** Prints a line (or several) above the bar. */
  print(text: string): void {
    this.clear();
    this.stream.write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw(true);
  }

  /** Removes the bar (before the summary, or at exit). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  private clear(): void {
    if (this.tty && this.shown) {
      this.stream.write('\r\x1b[K');
      this.shown = false;
    }
  }

  private draw(force: boolean): void {
    if (!this.tty || !this.task || !this.timer) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 24;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const fill = Math.round(frac * width);
    const s = Math.floor((now - this.started) / 1000);
    const clock = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    const count = this.total > 0 ? ` ${this.done}/${this.total}` : '';
    let line = `[${this.taskIndex + 1}/${this.taskCount}] ${this.task} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}]${count} ${clock} ${this.label}`;
    const cols = this.stream.columns || 100;
    if (line.length > cols - 1) line = line.slice(0, cols - 1);
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
}
