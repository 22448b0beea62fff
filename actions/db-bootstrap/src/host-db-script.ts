import { shellQuote } from '@gatehouse/command-runner';
import { LOCK_SQL_KEY, OBJECTS_SQL, type Step, TABLES_SQL } from './database';

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
    `inside() { local cmd="$1"; shift; "\${PREFIX[@]}" sh -c "$cmd" sh "$@"; }`,
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

/** `OBJECTS_SQL` one hex-encoded statement a line, so no name can break the line format. */
const OBJECTS_HEX_SQL = `SELECT coalesce(string_agg(encode(convert_to(stmt, 'UTF8'), 'hex'), E'\\n' ORDER BY stmt), '') FROM (${OBJECTS_SQL}) AS o`;

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
 * re-check the snapshot, back up and verify, stamp, migrate, then list what the backup does not
 * hold. The lock goes when psql's input closes, which the kernel does for us if the script dies.
 *
 * Marks (each on a line of its own): lock-failed; changed-begin … changed-end; backup-failed;
 * backup-unverified; backup, removed; <step>-begin … <step>-end <rc>; leftover <hex>,
 * leftovers-listed; finished.
 */
export function applyScript(values: HostScriptValues, apply: HostApplyValues): string {
  const lines = [
    preamble(values),
    `EXPECTED=${shellQuote(apply.expectedRawSnapshot)}`,
    `OBJECTS_SQL=${shellQuote(OBJECTS_HEX_SQL)}`,
    `coproc LOCKER { "\${PREFIX[@]}" sh -c ${shellQuote(`exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}"`)}; }`,
    `printf '%s\\n' "SET lock_timeout = ${Math.max(1, Math.round(apply.lockTimeoutMs))};" "SELECT pg_advisory_lock(${LOCK_SQL_KEY});" "SELECT 'locked-' || 'ok';" >&"\${LOCKER[1]}"`,
    'locked=no',
    `while IFS= read -r line <&"\${LOCKER[0]}"; do [ "$line" = locked-ok ] && { locked=yes; break; }; done`,
    `[ "$locked" = yes ] || { echo ${MARK}:lock-failed; exit 3; }`,
    'now="$(snapshot)"',
    `[ "$now" = "$EXPECTED" ] || { echo ${MARK}:changed-begin; echo "$now"; echo ${MARK}:changed-end; exit 4; }`,
  ];
  if (apply.backup) lines.push(...backupLines(values, apply.backup));
  lines.push('failed=""');
  for (const [step, command] of [
    ['stamp', apply.stamp],
    ['migrate', apply.migrate],
  ] as const) {
    if (command) lines.push(...stepLines(step, command));
  }
  if (apply.backup) lines.push(...leftoverLines());
  lines.push(`echo ${MARK}:finished`, '[ -z "$failed" ] || exit 6');
  return `${lines.join('\n')}\n`;
}

/**
 * pg_dump to a `.partial` file renamed once whole, then read back with pg_restore --list. Partial
 * files of runs killed mid-dump are swept first: this run holds the lock, so none is being written.
 */
function backupLines(values: HostScriptValues, backup: NonNullable<HostApplyValues['backup']>): string[] {
  const { dir, prefix, timestamp, keep } = backup;
  return [
    'objects_before="$(inside "$PSQL" "$OBJECTS_SQL")"',
    `BACKUP_DIR=${shellQuote(dir)}`,
    'mkdir -p "$BACKUP_DIR" && BACKUP_DIR="$(cd "$BACKUP_DIR" && pwd)"',
    `BACKUP_NAME=${shellQuote(prefix)}`,
    `BACKUP_FILE="$BACKUP_DIR/$BACKUP_NAME-"${shellQuote(timestamp)}.dump`,
    'rm -f -- "$BACKUP_DIR/$BACKUP_NAME-"*.dump.partial',
    'trap \'rm -f -- "$BACKUP_FILE.partial"\' EXIT',
    "trap 'exit 143' TERM HUP INT",
    `if ! inside ${shellQuote(`exec pg_dump -Fc -d "$${values.urlVariable}"`)} > "$BACKUP_FILE.partial"; then`,
    `  echo ${MARK}:backup-failed; exit 5`,
    'fi',
    'mv -- "$BACKUP_FILE.partial" "$BACKUP_FILE"',
    'bytes="$(stat -c %s -- "$BACKUP_FILE")"',
    `if [ "$bytes" -eq 0 ] || ! listing="$(inside 'exec pg_restore --list' < "$BACKUP_FILE")"; then`,
    `  echo "${MARK}:backup-unverified	$BACKUP_FILE	$bytes"; exit 5`,
    'fi',
    'entries="$(printf "%s\\n" "$listing" | grep -cv -e "^;" -e "^$" || true)"',
    `echo "${MARK}:backup	$BACKUP_FILE	$bytes	$entries"`,
    // Names sort by time. A glob sorts by the collation, so C (in the subshell) makes it byte order.
    'mapfile -t ours < <(',
    '  LC_ALL=C',
    '  for old in "$BACKUP_DIR/$BACKUP_NAME-"*.dump; do',
    `    if [[ "\${old##*/}" =~ ^"$BACKUP_NAME"-[0-9]+T[0-9]+Z\\.dump$ ]]; then printf "%s\\n" "$old"; fi`,
    '  done)',
    `for ((i = 0; i < \${#ours[@]} - ${keep}; i++)); do`,
    `  rm -f -- "\${ours[i]}" && echo "${MARK}:removed	\${ours[i]##*/}"`,
    'done',
  ];
}

/** The tool's output goes to the log as it came; the end mark starts a line of its own. */
function stepLines(step: Step, command: string): string[] {
  return [
    'if [ -z "$failed" ]; then',
    `  echo ${MARK}:${step}-begin`,
    `  set +e; inside ${shellQuote(command)} 2>&1; rc=$?; set -e`,
    `  printf '\\n%s\\t%s\\n' ${MARK}:${step}-end "$rc"`,
    `  [ "$rc" -eq 0 ] || failed=${step}`,
    'fi',
  ];
}

/** Objects the database holds now that it did not when the backup was taken; best effort. */
function leftoverLines(): string[] {
  return [
    'if objects_after="$(inside "$PSQL" "$OBJECTS_SQL")"; then',
    '  LC_ALL=C comm -13 <(printf "%s\\n" "$objects_before" | LC_ALL=C sort) <(printf "%s\\n" "$objects_after" | LC_ALL=C sort) |',
    `    while IFS= read -r object; do if [ -n "$object" ]; then printf '%s\\t%s\\n' ${MARK}:leftover "$object"; fi; done`,
    `  echo ${MARK}:leftovers-listed`,
    'fi',
  ];
}
