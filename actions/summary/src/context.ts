/** What the rendering needs besides the records: where the run lives, and the limits. */
export interface RenderContext {
  serverUrl: string;
  repository: string;
  runUrl?: string;
  /** Who started the run, and who started this attempt of it when that was someone else (a re-run). */
  actor?: string;
  triggeringActor?: string;
  /** Used for console links when a record does not name its region. */
  region?: string;
  environmentUrl?: string;
  deploymentId?: number;
  maxRows: number;
  maxBytes: number;
}

export function mark(ok: boolean | undefined): string {
  return ok === undefined ? '⚪' : ok ? '✅' : '❌';
}

/** `2025-05-02T10:05:51.123Z` → `2025-05-02 10:05:51 UTC`. */
export function utcText(iso: string | number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The run's page, when the run id is one GitHub gave (a number). */
export function runLink(ctx: RenderContext, runId: string): string | undefined {
  return /^\d+$/.test(runId) ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${runId}` : undefined;
}
