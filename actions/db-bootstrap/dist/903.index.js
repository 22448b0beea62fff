export const id = 903;
export const ids = [903];
export const modules = {

/***/ 7903:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hostDatabase: () => (/* binding */ hostDatabase)
/* harmony export */ });
/* unused harmony export parseSnapshot */
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2976);
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7587);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1286);
/* harmony import */ var _host_db_script__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7906);




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
            const result = await runScript((0,_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .snapshotScript */ .Wz)(options), 'gatehouse db-bootstrap: inspect schema', 120_000);
            const raw = between(result.stdout, 'snapshot');
            if (result.stderr.includes(`${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:no-url`))
                throw missingUrl(options, host);
            if (result.status !== 'Success' || raw === undefined) {
                throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Cannot read the database from ${where()} (${result.status}, exit ${result.exitCode}): ${(0,_database__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(result.stderr.trim() || result.stdout.trim(), 1500)}`);
            }
            const snapshot = parseSnapshot(raw);
            rawSnapshots.set(snapshot, raw);
            return snapshot;
        },
        async tool(command) {
            const result = await runScript((0,_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .toolScript */ .EB)(options, command), 'gatehouse db-bootstrap: tool');
            return { exitCode: result.exitCode ?? 1, output: (0,_database__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(`${result.stdout}${result.stderr}`) };
        },
        async apply(request) {
            const expectedRawSnapshot = rawSnapshots.get(request.expected);
            if (expectedRawSnapshot === undefined)
                throw new Error('apply() needs a snapshot taken by this database');
            const script = (0,_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .applyScript */ .q2)(options, {
                expectedRawSnapshot,
                lockTimeoutMs: options.lockTimeoutMs,
                ...(request.backup ? { backup: request.backup } : {}),
                ...(request.stamp ? { stamp: request.stamp } : {}),
                ...(request.migrate ? { migrate: request.migrate } : {}),
            });
            const result = await runScript(script, 'gatehouse db-bootstrap: apply', options.commandTimeoutMs + options.lockTimeoutMs);
            return readApplyOutcome(result, where(), options);
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
    const begin = stdout.indexOf(`${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:${name}-begin\n`);
    const end = stdout.indexOf(`${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:${name}-end`);
    if (begin < 0 || end < begin)
        return undefined;
    return stdout.slice(begin + `${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:${name}-begin\n`.length, end).replace(/\n$/, '');
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
function readApplyOutcome(result, where, options) {
    const marks = result.stdout
        .split('\n')
        .filter((line) => line.startsWith(`${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:`))
        .map((line) => line.slice(_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$.length + 1).split('\t'));
    const find = (name) => marks.find((m) => m[0] === name);
    if (find('lock-failed')) {
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Another db-bootstrap holds the lock on the database of ${where}; gave up after waiting 'lock-timeout'. Nothing was changed.`);
    }
    const changed = between(result.stdout, 'changed');
    if (changed !== undefined)
        return { stamped: false, changedMeanwhile: parseSnapshot(changed) };
    if (find('backup-failed') || find('backup-unverified')) {
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The backup on ${where} failed or could not be verified with pg_restore --list; nothing was changed. ${(0,_database__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(result.stderr, 1500)}`);
    }
    const outcome = { stamped: find('stamp-done') !== undefined };
    const backup = find('backup');
    if (backup) {
        const file = backup[1];
        outcome.backup = {
            file,
            bytes: Number(backup[2]),
            entries: Number(backup[3]),
            removed: marks.filter((m) => m[0] === 'removed').map((m) => m[1]),
            restoreCommand: `cd ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .ZL)(options.appDir)} && ${options.prefix.map(_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .ZL).join(' ')}${options.prefix.length ? ' ' : ''}sh -c ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .ZL)(`exec pg_restore --clean --if-exists --no-owner -d "$${options.urlVariable}"`)} < ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .ZL)(file)}`,
        };
    }
    const failed = find('failed');
    if (failed) {
        const step = failed[1] === 'stamp' ? 'stamp' : 'migrate';
        const output = result.stdout.slice(result.stdout.indexOf(`${_host_db_script__WEBPACK_IMPORTED_MODULE_2__/* .MARK */ .M$}:${step}-begin`));
        outcome.failed = { step, run: { exitCode: Number(failed[2]), output: (0,_database__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(output) } };
        return outcome;
    }
    if (!find('applied')) {
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The bootstrap script on ${where} stopped unexpectedly (${result.status}, exit ${result.exitCode}): ${(0,_database__WEBPACK_IMPORTED_MODULE_3__/* .tail */ .RT)(result.stderr.trim() || result.stdout.trim(), 1500)}`);
    }
    return outcome;
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
function versionLineSql(versionQuery) {
    return `SELECT coalesce(string_agg(v::text, ','), '') FROM (${versionQuery}) AS q(v)`;
}
function snapshotScript(values) {
    return `${preamble(values)}\necho ${MARK}:snapshot-begin\nsnapshot\necho ${MARK}:snapshot-end\n`;
}
function toolScript(values, command) {
    return `${preamble(values)}\ninside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(command)}\n`;
}
/**
 * Under one advisory lock held by a psql session kept open as a coprocess for the whole script:
 * re-check the snapshot, back up and verify, stamp, migrate. The lock goes when psql's input
 * closes, which the kernel does for us if the script dies.
 */
function applyScript(values, apply) {
    const lines = [
        preamble(values),
        `EXPECTED=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(apply.expectedRawSnapshot)}`,
        `coproc LOCKER { "\${PREFIX[@]}" sh -c ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(`exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$${values.urlVariable}"`)}; }`,
        `printf '%s\\n' "SET lock_timeout = ${Math.max(1, Math.round(apply.lockTimeoutMs))};" "SELECT pg_advisory_lock(${_database__WEBPACK_IMPORTED_MODULE_1__/* .LOCK_SQL_KEY */ .bl});" "SELECT 'locked-' || 'ok';" >&"\${LOCKER[1]}"`,
        'locked=no',
        'while IFS= read -r line <&"${LOCKER[0]}"; do [ "$line" = locked-ok ] && { locked=yes; break; }; done',
        `[ "$locked" = yes ] || { echo ${MARK}:lock-failed; exit 3; }`,
        'now="$(snapshot)"',
        `[ "$now" = "$EXPECTED" ] || { echo ${MARK}:changed-begin; echo "$now"; echo ${MARK}:changed-end; exit 4; }`,
    ];
    if (apply.backup) {
        const { dir, prefix, timestamp, keep } = apply.backup;
        lines.push(`BACKUP_DIR=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(dir)}`, 'mkdir -p "$BACKUP_DIR" && BACKUP_DIR="$(cd "$BACKUP_DIR" && pwd)"', `BACKUP_NAME=${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(prefix)}`, `BACKUP_FILE="$BACKUP_DIR/$BACKUP_NAME-"${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(timestamp)}.dump`, `if ! inside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(`exec pg_dump -Fc -d "$${values.urlVariable}"`)} > "$BACKUP_FILE.partial"; then`, `  rm -f "$BACKUP_FILE.partial"; echo ${MARK}:backup-failed; exit 5`, 'fi', 'mv "$BACKUP_FILE.partial" "$BACKUP_FILE"', 'bytes="$(stat -c %s "$BACKUP_FILE")"', `if [ "$bytes" -eq 0 ] || ! listing="$(inside 'exec pg_restore --list' < "$BACKUP_FILE")"; then`, `  echo "${MARK}:backup-unverified	$BACKUP_FILE	$bytes"; exit 5`, 'fi', 'entries="$(printf "%s\\n" "$listing" | grep -cv -e "^;" -e "^$" || true)"', `echo "${MARK}:backup	$BACKUP_FILE	$bytes	$entries"`, `ls -1 "$BACKUP_DIR" | grep -E "^$BACKUP_NAME-[0-9]+T[0-9]+Z\\.dump\\$" | sort | head -n -${keep} | while IFS= read -r old; do`, `  rm -f -- "$BACKUP_DIR/$old" && echo "${MARK}:removed	$old"`, 'done');
    }
    for (const [step, command] of [
        ['stamp', apply.stamp],
        ['migrate', apply.migrate],
    ]) {
        if (!command)
            continue;
        lines.push(`echo ${MARK}:${step}-begin`, `set +e; inside ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellQuote */ .ZL)(command)} 2>&1; rc=$?; set -e`, `[ "$rc" -eq 0 ] || { echo "${MARK}:failed	${step}	$rc"; exit 6; }`, `echo ${MARK}:${step}-done`);
    }
    lines.push(`echo ${MARK}:applied`);
    return `${lines.join('\n')}\n`;
}


/***/ })

};
