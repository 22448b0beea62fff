export const id = 903;
export const ids = [903];
export const modules = {

/***/ 7903:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hostDatabase: () => (/* binding */ hostDatabase)
/* harmony export */ });
/* unused harmony export parseSnapshot */
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3422);
/* harmony import */ var _gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3374);
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7587);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1286);
/* harmony import */ var _host_db_script__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7906);
/* harmony import */ var _redact__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3534);






/**
 * The database as the app sees it on its host: every query through `psql`, every tool and
 * `pg_dump` through the command prefix, via the command runner (SSM or local). One host only:
 * a database is migrated once, not once per instance.
 */
function hostDatabase(options) {
    const prefixText = options.prefix.join(' ');
    let host = options.runner.describeTargets();
    const where = () => `${host}${prefixText ? ` (behind '${prefixText}')` : ''}`;
    const runScript = async (script, comment, timeoutMs = options.commandTimeoutMs) => {
        const result = await options.runner.run({ script, comment, executionTimeoutMs: timeoutMs });
        if (result.hosts.length !== 1) {
            // Tags are resolved by SSM when the command is sent, so this is the first moment the count is
            // known. Only the read-only schema inspection can have run (it is always the first script).
            throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`db-bootstrap migrates the database from exactly one host, but ${options.runner.describeTargets()} ` +
                `matched ${result.hosts.length} (${result.hosts.map((h) => h.host).join(', ') || 'none'}). Nothing was ` +
                "changed; only the read-only schema inspection ran. Select the one migration host: in 'instance-tags' " +
                "with a tag only it carries, or by its id in 'instance-ids'.");
        }
        host = result.hosts[0].host;
        return result.hosts[0];
    };
    const rawSnapshots = new Map();
    return {
        get where() {
            return where();
        },
        async snapshot() {
            const result = await runScript((0,_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .snapshotScript */ .Wz)(options), 'gatehouse db-bootstrap: inspect schema', 120_000);
            const raw = between(result.stdout, 'snapshot');
            if (result.stderr.includes(`${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:no-url`))
                throw missingUrl(options, host);
            if (result.status !== 'Success' || raw === undefined) {
                throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Cannot read the database from ${where()} (${result.status}, exit ${result.exitCode}): ${(0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(result.stderr.trim() || result.stdout.trim(), 1500)}${(0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__/* .postgresHint */ .z8)(result.stderr)}`);
            }
            const snapshot = parseSnapshot(raw);
            rawSnapshots.set(snapshot, raw);
            return snapshot;
        },
        async tool(command) {
            const result = await runScript((0,_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .toolScript */ .EB)(options, command), 'gatehouse db-bootstrap: tool');
            return {
                exitCode: result.exitCode ?? 1,
                stdout: result.stdout,
                output: (0,_redact__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E)((0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(`${result.stdout}${result.stderr}`, _database__WEBPACK_IMPORTED_MODULE_4__/* .OUTPUT_KEPT */ .R_)),
            };
        },
        async apply(request) {
            const expectedRawSnapshot = rawSnapshots.get(request.expected);
            if (expectedRawSnapshot === undefined)
                throw new Error('apply() needs a snapshot taken by this database');
            const script = (0,_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .applyScript */ .q2)(options, {
                expectedRawSnapshot,
                lockTimeoutMs: options.lockTimeoutMs,
                ...(request.backup ? { backup: request.backup } : {}),
                ...(request.stamp ? { stamp: request.stamp } : {}),
                ...(request.migrate ? { migrate: request.migrate } : {}),
            });
            const result = await runScript(script, 'gatehouse db-bootstrap: apply', options.commandTimeoutMs + options.lockTimeoutMs);
            return readApplyOutcome(result, where(), request);
        },
        restoreCommand(backup, leftovers) {
            const url = `"$${options.urlVariable}"`;
            const restore = `exec pg_restore --clean --if-exists --single-transaction --no-owner -d ${url}`;
            const script = leftovers.length
                ? `psql -X -q -v ON_ERROR_STOP=1 -d ${url} -c "$1" && ${restore}`
                : restore;
            const words = [
                ...options.prefix.map(_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .ZL),
                'sh',
                '-c',
                (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .ZL)(script),
                ...(leftovers.length ? ['sh', (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .ZL)(leftovers.join('; '))] : []),
            ];
            return `cd ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .ZL)(options.appDir)} && ${words.join(' ')} < ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__/* .shellQuote */ .ZL)(backup.file)}`;
        },
        async close() { },
    };
}
function missingUrl(options, host) {
    const place = options.prefix.length
        ? `behind 'command-prefix' (${options.prefix.join(' ')})`
        : options.runner.kind === 'ssm'
            ? "in the environment SSM Run Command gives scripts on the host (the agent's, not the app's: a command-prefix such as 'docker compose exec -T web' reaches the app's)"
            : "in the runner's environment";
    return new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`On ${host}, ${options.urlVariable} (named by 'url-variable') is empty or unset ${place}, so psql has no ` +
        "database to connect to. Set it there, or set 'url-variable' to the variable that holds the database URL" +
        (options.runner.kind === 'local' ? ", or pass the URL in 'database-url'." : '.'));
}
function between(stdout, name) {
    const begin = stdout.indexOf(`${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${name}-begin\n`);
    const end = stdout.indexOf(`${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${name}-end`);
    if (begin < 0 || end < begin)
        return undefined;
    return stdout.slice(begin + `${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${name}-begin\n`.length, end).replace(/\n$/, '');
}
function parseSnapshot(raw) {
    const lines = raw.split('\n');
    const tablesLine = lines.find((line) => line.startsWith('tables:')) ?? 'tables:';
    const tables = tablesLine
        .slice('tables:'.length)
        .split(',')
        .filter((t) => t !== '')
        .sort();
    const versionLine = lines.find((line) => line.startsWith('version:'));
    const version = versionLine?.slice('version:'.length);
    return { tables, versionTableExists: versionLine !== undefined, version: version ? version : undefined };
}
function readApplyOutcome(result, where, request) {
    const marks = result.stdout
        .split('\n')
        .filter((line) => line.startsWith(`${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:`))
        .map((line) => line.slice(_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$.length + 1).split('\t'));
    const find = (name) => marks.find((m) => m[0] === name);
    if (find('lock-failed'))
        return { lockTimedOut: true, steps: [] };
    const changed = between(result.stdout, 'changed');
    if (changed !== undefined)
        return { changedMeanwhile: parseSnapshot(changed), steps: [] };
    if (find('backup-failed') || find('backup-unverified')) {
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The backup on ${where} failed or could not be verified with pg_restore --list; nothing was changed. ${(0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(result.stderr, 1500)}${(0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__/* .postgresHint */ .z8)(result.stderr)}`);
    }
    const outcome = { steps: [] };
    const backup = find('backup');
    if (backup) {
        outcome.backup = {
            file: backup[1],
            bytes: Number(backup[2]),
            entries: Number(backup[3]),
            removed: marks.filter((m) => m[0] === 'removed').map((m) => m[1]),
        };
    }
    for (const step of ['stamp', 'migrate']) {
        const run = stepRun(result.stdout, step);
        const command = request[step];
        if (run && command)
            outcome.steps.push({ step, command, run });
    }
    if (find('leftovers-listed')) {
        outcome.leftovers = marks
            .filter((m) => m[0] === 'leftover')
            .map((m) => Buffer.from(m[1] ?? '', 'hex').toString('utf8'));
    }
    if (!find('finished')) {
        outcome.interrupted =
            `The bootstrap script on ${where} stopped before its end (${result.status}, exit ${result.exitCode}): ` +
                (0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)((0,_redact__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E)(result.stderr.trim() || result.stdout.trim()), 1500);
    }
    return outcome;
}
/** A step's output between its marks, and its exit code; undefined if it did not finish. */
function stepRun(stdout, step) {
    const begin = `${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${step}-begin\n`;
    const start = stdout.indexOf(begin);
    const end = stdout.indexOf(`\n${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${step}-end\t`, start);
    if (start < 0 || end < 0)
        return undefined;
    const text = stdout.slice(start + begin.length, end);
    const exitCode = Number(/^(\d+)/.exec(stdout.slice(end + `\n${_host_db_script__WEBPACK_IMPORTED_MODULE_3__/* .MARK */ .M$}:${step}-end\t`.length))?.[1] ?? 1);
    return { exitCode, stdout: text, output: (0,_redact__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E)((0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(text, _database__WEBPACK_IMPORTED_MODULE_4__/* .OUTPUT_KEPT */ .R_)) };
}


/***/ }),

/***/ 7906:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EB: () => (/* binding */ toolScript),
/* harmony export */   M$: () => (/* binding */ MARK),
/* harmony export */   PE: () => (/* binding */ versionLineSql),
/* harmony export */   Wz: () => (/* binding */ snapshotScript),
/* harmony export */   q2: () => (/* binding */ applyScript)
/* harmony export */ });
/* unused harmony export preamble */
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7587);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1286);


/** Marks result lines so they cannot be confused with a tool's own output. */
const MARK = '@@gatehouse-db';
function preamble(values) {
    // An empty URL would send psql to a local socket, with an error that names no input; say which
    // variable is missing instead (host-database.ts turns the mark into a configuration error).
    const urlSet = `[ -n "\${${values.urlVariable}:-}" ] || { echo ${MARK}:no-url >&2; exit 7; }`;
    const psql = `${urlSet}; exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}" -c "$1"`;
    const hasVersion = 'SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ' +
        `WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = '${values.versionTable}')`;
    return [
        'set -euo pipefail',
        'shopt -s inherit_errexit',
        `PREFIX=(${values.prefix.map(_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL).join(' ')})`,
        `PSQL=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(psql)}`,
        `TABLES_SQL=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(`SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM (${_database__WEBPACK_IMPORTED_MODULE_1__/* .TABLES_SQL */ .Fd}) AS t`)}`,
        `HAS_VERSION_SQL=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(hasVersion)}`,
        `VERSION_SQL=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(versionLineSql(values.versionQuery))}`,
        `cd ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(values.appDir)}`,
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
function versionLineSql(versionQuery) {
    return `SELECT coalesce(string_agg(v::text, ','), '') FROM (${versionQuery}) AS q(v)`;
}
/** `OBJECTS_SQL` one hex-encoded statement a line, so no name can break the line format. */
const OBJECTS_HEX_SQL = `SELECT coalesce(string_agg(encode(convert_to(stmt, 'UTF8'), 'hex'), E'\\n' ORDER BY stmt), '') FROM (${_database__WEBPACK_IMPORTED_MODULE_1__/* .OBJECTS_SQL */ .gB}) AS o`;
function snapshotScript(values) {
    return `${preamble(values)}\necho ${MARK}:snapshot-begin\nsnapshot\necho ${MARK}:snapshot-end\n`;
}
function toolScript(values, command) {
    return `${preamble(values)}\ninside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(command)}\n`;
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
function applyScript(values, apply) {
    const lines = [
        preamble(values),
        `EXPECTED=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(apply.expectedRawSnapshot)}`,
        `OBJECTS_SQL=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(OBJECTS_HEX_SQL)}`,
        `coproc LOCKER { "\${PREFIX[@]}" sh -c ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(`exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}"`)}; }`,
        `printf '%s\\n' "SET lock_timeout = ${Math.max(1, Math.round(apply.lockTimeoutMs))};" "SELECT pg_advisory_lock(${_database__WEBPACK_IMPORTED_MODULE_1__/* .LOCK_SQL_KEY */ .bl});" "SELECT 'locked-' || 'ok';" >&"\${LOCKER[1]}"`,
        'locked=no',
        `while IFS= read -r line <&"\${LOCKER[0]}"; do [ "$line" = locked-ok ] && { locked=yes; break; }; done`,
        `[ "$locked" = yes ] || { echo ${MARK}:lock-failed; exit 3; }`,
        'now="$(snapshot)"',
        `[ "$now" = "$EXPECTED" ] || { echo ${MARK}:changed-begin; echo "$now"; echo ${MARK}:changed-end; exit 4; }`,
    ];
    if (apply.backup)
        lines.push(...backupLines(values, apply.backup));
    lines.push('failed=""');
    for (const [step, command] of [
        ['stamp', apply.stamp],
        ['migrate', apply.migrate],
    ]) {
        if (command)
            lines.push(...stepLines(step, command));
    }
    if (apply.backup)
        lines.push(...leftoverLines());
    lines.push(`echo ${MARK}:finished`, '[ -z "$failed" ] || exit 6');
    return `${lines.join('\n')}\n`;
}
/**
 * pg_dump to a `.partial` file renamed once whole, then read back with pg_restore --list. Partial
 * files of runs killed mid-dump are swept first: this run holds the lock, so none is being written.
 */
function backupLines(values, backup) {
    const { dir, prefix, timestamp, keep } = backup;
    return [
        'objects_before="$(inside "$PSQL" "$OBJECTS_SQL")"',
        `BACKUP_DIR=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(dir)}`,
        'mkdir -p "$BACKUP_DIR" && BACKUP_DIR="$(cd "$BACKUP_DIR" && pwd)"',
        `BACKUP_NAME=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(prefix)}`,
        `BACKUP_FILE="$BACKUP_DIR/$BACKUP_NAME-"${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(timestamp)}.dump`,
        'rm -f -- "$BACKUP_DIR/$BACKUP_NAME-"*.dump.partial',
        'trap \'rm -f -- "$BACKUP_FILE.partial"\' EXIT',
        "trap 'exit 143' TERM HUP INT",
        `if ! inside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(`exec pg_dump -Fc -d "$${values.urlVariable}"`)} > "$BACKUP_FILE.partial"; then`,
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
function stepLines(step, command) {
    return [
        'if [ -z "$failed" ]; then',
        `  echo ${MARK}:${step}-begin`,
        `  set +e; inside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(command)} 2>&1; rc=$?; set -e`,
        `  printf '\\n%s\\t%s\\n' ${MARK}:${step}-end "$rc"`,
        `  [ "$rc" -eq 0 ] || failed=${step}`,
        'fi',
    ];
}
/** Objects the database holds now that it did not when the backup was taken; best effort. */
function leftoverLines() {
    return [
        'if objects_after="$(inside "$PSQL" "$OBJECTS_SQL")"; then',
        '  LC_ALL=C comm -13 <(printf "%s\\n" "$objects_before" | LC_ALL=C sort) <(printf "%s\\n" "$objects_after" | LC_ALL=C sort) |',
        `    while IFS= read -r object; do if [ -n "$object" ]; then printf '%s\\t%s\\n' ${MARK}:leftover "$object"; fi; done`,
        `  echo ${MARK}:leftovers-listed`,
        'fi',
    ];
}


/***/ }),

/***/ 3534:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ redact),
/* harmony export */   F: () => (/* binding */ urlSecrets)
/* harmony export */ });
/**
 * Tools print what they connect to, and some print the whole database URL. Before their output is
 * shown, the secrets this run knows (the URL's password, as given and decoded) are replaced, and so
 * is the password of any URL, for a URL the run never saw (one kept on the host).
 */
function redact(text, secrets = []) {
    let out = text;
    const known = secrets.filter((s) => s !== undefined && s !== '');
    for (const secret of [...new Set(known)].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join('***');
    }
    return out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, '$1***@');
}
/** The password of a URL, as written and decoded, for `redact`. */
function urlSecrets(url) {
    try {
        const password = new URL(url).password;
        return password ? [password, decodeURIComponent(password)] : [];
    }
    catch {
        return [];
    }
}


/***/ })

};
