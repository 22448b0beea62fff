/**
 * Requests admitted in the last second, across every operation. Only admitted requests count,
 * as with SSM's token buckets: a client that backs off gets through again once the window slides.
 */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** True when the request is admitted (and counted); false when it is over the limit. */
  tryAdmit(limit: number, now: number): boolean {
    while (this.head < this.times.length && this.times[this.head]! <= now - 1000) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head >= limit) return false;
    this.times.push(now);
    return true;
  }
}
