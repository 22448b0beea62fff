import { shellQuote } from '@gatehouse/command-runner';
import { LOCK_SQL_KEY, TABLES_SQL } from './database';

/**
 * The bash that `host-database.ts` sends to a host. Every value is a quoted assignment at the top;
 * the command prefix arrives as an array of words (argv, never shell text); tool commands are
 * passed whole to `sh -c` behind the prefix, as the workflow author wrote them.
 */
export interface HostScriptValues {
  appDir: string;
  prefix: string[];
  urlVariable: string;
  versionTable: string;
  versionQuery: string;
}

/** Marks result lines so they cannot be confused with a tool's own output. */
export const MARK = '@@gatehouse-db';

export function preamble(values: HostScriptValues): string {
  // An empty URL would send psql to a local socket, with an error that names no input; say which
  // variable is missing instead (host-database.ts turns the mark into a configuration error).
  const urlSet = `[ -n "\${${values.urlVariable}:-}" ] || { echo ${MARK}:no-url >&2; exit 7; }`;
  const psql = `${urlSet}; exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}" -c "$1"`;
  const hasVersion =
    'SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ' +
    `WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = '${values.versionTable}')`;
  return [
    'set -euo pipefail',
    'shopt -s inherit_errexit',
    `PREFIX=(${values.prefix.map(shellQuote).join(' ')})`,
    `PSQL=${shellQuote(psql)}`,
    `TABLES_SQL=${shellQuote(`SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM (${TABLES_SQL}) AS t`)}`,
    `HAS_VERSION_SQL=${shellQuote(hasVersion)}`,
    `VERSION_SQL=${shellQuote(versionLineSql(values.versionQuery))}`,
    `cd ${shellQuote(values.appDir)}`,
    // Runs one command behind the prefix (e.g. inside the app container); extra words become $1….
    'inside() { local cmd="$1"; shift; "${PREFIX[@]}" sh -c "$cmd" sh "$@"; }',
    // Assignments, not arguments: a failing psql then stops the script (errexit).
    'snapshot() {',
    '  local tables has version',
    '  tables="$(inside "$PSQL" "$TABLES_SQL")"',
    '  has="$(inside "$PSQL" "$HAS_VERSION_SQL")"',
    '  printf "tables:%s\\n" "$tables"',
    '  if [ "$has" = t ]; then version="$(inside "$PSQL" "$VERSION_SQL")"; printf "version:%s\\n" "$version";',
    '  else echo "version-table:none"; fi',
    '}',
  ].join('\n');
}

/** The tool's version query as one line: several rows (alembic branches) joined by commas. */
export function versionLineSql(versionQuery: string): string {
  return `SELECT coalesce(string_agg(v::text, ','), '') FROM (${versionQuery}) AS q(v)`;
}

export function snapshotScript(values: HostScriptValues): string {
  return `${preamble(values)}\necho ${MARK}:snapshot-begin\nsnapshot\necho ${MARK}:snapshot-end\n`;
}

export function toolScript(values: HostScriptValues, command: string): string {
  return `${preamble(values)}\ninside ${shellQuote(command)}\n`;
}

export interface HostApplyValues {
  expectedRawSnapshot: string;
  lockTimeoutMs: number;
  backup?: { dir: string; prefix: string; timestamp: string; keep: number };
  stamp?: string;
  migrate?: string;
}

/**
 * Under one advisory lock held by a psql session kept open as a coprocess for the whole script:
 * re-check the snapshot, back up and verify, stamp, migrate. The lock goes when psql's input
 * closes, which the kernel does for us if the script dies.
 */
export function applyScript(values: HostScriptValues, apply: HostApplyValues): string {
  const lines = [
    preamble(values),
    `EXPECTED=${shellQuote(apply.expectedRawSnapshot)}`,
    `coproc LOCKER { "\${PREFIX[@]}" sh -c ${shellQuote(`exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}"`)}; }`,
    `printf '%s\\n' "SET lock_timeout = ${Math.max(1, Math.round(apply.lockTimeoutMs))};" "SELECT pg_advisory_lock(${LOCK_SQL_KEY});" "SELECT 'locked-' || 'ok';" >&"\${LOCKER[1]}"`,
    'locked=no',
    'while IFS= read -r line <&"${LOCKER[0]}"; do [ "$line" = locked-ok ] && { locked=yes; break; }; done',
    `[ "$locked" = yes ] || { echo ${MARK}:lock-failed; exit 3; }`,
    'now="$(snapshot)"',
    `[ "$now" = "$EXPECTED" ] || { echo ${MARK}:changed-begin; echo "$now"; echo ${MARK}:changed-end; exit 4; }`,
  ];
  if (apply.backup) {
    const { dir, prefix, timestamp, keep } = apply.backup;
    lines.push(
      `BACKUP_DIR=${shellQuote(dir)}`,
      'mkdir -p "$BACKUP_DIR" && BACKUP_DIR="$(cd "$BACKUP_DIR" && pwd)"',
      `BACKUP_NAME=${shellQuote(prefix)}`,
      `BACKUP_FILE="$BACKUP_DIR/$BACKUP_NAME-"${shellQuote(timestamp)}.dump`,
      `if ! inside ${shellQuote(`exec pg_dump -Fc -d "$${values.urlVariable}"`)} > "$BACKUP_FILE.partial"; then`,
      `  rm -f "$BACKUP_FILE.partial"; echo ${MARK}:backup-failed; exit 5`,
      'fi',
      'mv "$BACKUP_FILE.partial" "$BACKUP_FILE"',
      'bytes="$(stat -c %s "$BACKUP_FILE")"',
      `if [ "$bytes" -eq 0 ] || ! listing="$(inside 'exec pg_restore --list' < "$BACKUP_FILE")"; then`,
      `  echo "${MARK}:backup-unverified	$BACKUP_FILE	$bytes"; exit 5`,
      'fi',
      'entries="$(printf "%s\\n" "$listing" | grep -cv -e "^;" -e "^$" || true)"',
      `echo "${MARK}:backup	$BACKUP_FILE	$bytes	$entries"`,
      `ls -1 "$BACKUP_DIR" | grep -E "^$BACKUP_NAME-[0-9]+T[0-9]+Z\\.dump\\$" | sort | head -n -${keep} | while IFS= read -r old; do`,
      `  rm -f -- "$BACKUP_DIR/$old" && echo "${MARK}:removed	$old"`,
      'done',
    );
  }
  for (const [step, command] of [
    ['stamp', apply.stamp],
    ['migrate', apply.migrate],
  ] as const) {
    if (!command) continue;
    lines.push(
      `echo ${MARK}:${step}-begin`,
      `set +e; inside ${shellQuote(command)} 2>&1; rc=$?; set -e`,
      `[ "$rc" -eq 0 ] || { echo "${MARK}:failed	${step}	$rc"; exit 6; }`,
      `echo ${MARK}:${step}-done`,
    );
  }
  lines.push(`echo ${MARK}:applied`);
  return `${lines.join('\n')}\n`;
}
