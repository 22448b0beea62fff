export const id = 752;
export const ids = [752];
export const modules = {

/***/ 8752:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hostDatabase: () => (/* binding */ hostDatabase)
/* harmony export */ });
/* unused harmony export parseSnapshot */
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6685);
/* harmony import */ var _gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7504);
/* harmony import */ var _gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1077);
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7721);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2363);
/* harmony import */ var _host_db_script__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6375);






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
                output: (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)((0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(`${result.stdout}${result.stderr}`, _database__WEBPACK_IMPORTED_MODULE_4__/* .OUTPUT_KEPT */ .R_)),
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
                (0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)((0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)(result.stderr.trim() || result.stdout.trim()), 1500);
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
    return { exitCode, stdout: text, output: (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E$)((0,_database__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(text, _database__WEBPACK_IMPORTED_MODULE_4__/* .OUTPUT_KEPT */ .R_)) };
}


/***/ }),

/***/ 6375:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EB: () => (/* binding */ toolScript),
/* harmony export */   M$: () => (/* binding */ MARK),
/* harmony export */   PE: () => (/* binding */ versionLineSql),
/* harmony export */   Wz: () => (/* binding */ snapshotScript),
/* harmony export */   q2: () => (/* binding */ applyScript)
/* harmony export */ });
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7721);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2363);


/** Marks result lines so they cannot be confused with a tool's own output. */
const MARK = '@@gatehouse-db';
const COMMON = __webpack_require__.ab + "host-db-common.sh";
function commonValues(values) {
    return {
        MARK,
        APP_DIR: values.appDir,
        PREFIX: values.prefix,
        URL_VARIABLE: values.urlVariable,
        TABLES_SQL: `SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM (${_database__WEBPACK_IMPORTED_MODULE_1__/* .TABLES_SQL */ .Fd}) AS t`,
        VERSION_TABLE: values.versionTable,
        VERSION_SQL: versionLineSql(values.versionQuery),
    };
}
/** The tool's version query as one line: several rows (alembic branches) joined by commas. */
function versionLineSql(versionQuery) {
    return `SELECT coalesce(string_agg(v::text, ','), '') FROM (${versionQuery}) AS q(v)`;
}
/** `OBJECTS_SQL` one hex-encoded statement a line, so no name can break the line format. */
const OBJECTS_HEX_SQL = `SELECT coalesce(string_agg(encode(convert_to(stmt, 'UTF8'), 'hex'), E'\\n' ORDER BY stmt), '') FROM (${_database__WEBPACK_IMPORTED_MODULE_1__/* .OBJECTS_SQL */ .gB}) AS o`;
/** Read only: the tables and the tool's version, between `snapshot-begin` and `snapshot-end`. */
function snapshotScript(values) {
    return (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellScript */ .ky)({
        purpose: 'db-bootstrap, read the schema (read only)',
        values: commonValues(values),
        bodies: [__webpack_require__.ab + "host-db-common.sh", __webpack_require__.ab + "host-db-snapshot.sh"],
    });
}
/** One of the tool's own commands, behind the prefix. */
function toolScript(values, command) {
    return (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellScript */ .ky)({
        purpose: "db-bootstrap, one of the tool's commands",
        values: { ...commonValues(values), TOOL_COMMAND: command },
        bodies: [__webpack_require__.ab + "host-db-common.sh", __webpack_require__.ab + "host-db-tool.sh"],
    });
}
/**
 * Under the advisory lock: re-check the snapshot, back up and verify, stamp, migrate, then list
 * what the backup does not hold (`host-db-apply.sh` says how, and which marks it prints).
 */
function applyScript(values, apply) {
    return (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_0__/* .shellScript */ .ky)({
        purpose: 'db-bootstrap, back up and migrate under the lock',
        values: {
            ...commonValues(values),
            EXPECTED: apply.expectedRawSnapshot,
            OBJECTS_SQL: OBJECTS_HEX_SQL,
            LOCK_KEY_SQL: _database__WEBPACK_IMPORTED_MODULE_1__/* .LOCK_SQL_KEY */ .bl,
            LOCK_TIMEOUT_MS: String(Math.max(1, Math.round(apply.lockTimeoutMs))),
            BACKUP: apply.backup ? 'true' : 'false',
            BACKUP_DIR: apply.backup?.dir ?? '',
            BACKUP_NAME: apply.backup?.prefix ?? '',
            BACKUP_TIMESTAMP: apply.backup?.timestamp ?? '',
            BACKUP_KEEP: String(apply.backup?.keep ?? 0),
            STAMP_COMMAND: apply.stamp ?? '',
            MIGRATE_COMMAND: apply.migrate ?? '',
        },
        bodies: [__webpack_require__.ab + "host-db-common.sh", __webpack_require__.ab + "host-db-apply.sh"],
    });
}


/***/ })

};
