import type { EmulatorStats } from './types';

/** The fleet-wide count of running invocations the stats read. */
export interface RunningGauge {
  running: number;
  maxRunning: number;
}

/** Every request the server received, for tests and the benchmark to count API calls. */
export class CallStats {
  private calls: Record<string, number> = {};
  private total = 0;
  private throttled = 0;
  private log: { op: string; at: number }[] = [];

  constructor(private readonly gauge: RunningGauge) {}

  record(op: string, at: number): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    this.total++;
    this.log.push({ op, at });
  }

  recordThrottled(): void {
    this.throttled++;
  }

  snapshot(): EmulatorStats {
    return {
      calls: { ...this.calls },
      total: this.total,
      throttled: this.throttled,
      log: [...this.log],
      maxRunning: this.gauge.maxRunning,
    };
  }

  reset(): void {
    this.calls = {};
    this.total = 0;
    this.throttled = 0;
    this.log = [];
    this.gauge.maxRunning = this.gauge.running;
  }
}
