export const id = 813;
export const ids = [813];
export const modules = {

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


/***/ }),

/***/ 8813:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   connectLocal: () => (/* binding */ connectLocal)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6685);
/* harmony import */ var _gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7504);
/* harmony import */ var _gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1077);
/* harmony import */ var _gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7721);
/* harmony import */ var _database__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2363);
/* harmony import */ var _host_db_script__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6375);








/**
 * `target: local` with `database-url`: detection and the advisory lock through the `pg` driver
 * (loaded only here), tools and pg_dump as local processes with the URL in their environment.
 */
async function connectLocal(options) {
    // Checked when the settings were read: it names a host, or a socket folder in `?host=`.
    const address = (0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_3__/* .postgresAddress */ .mX)('database-url', options.url);
    const { default: pgModule } = await __webpack_require__.e(/* import() */ 945).then(__webpack_require__.bind(__webpack_require__, 4945));
    const client = new pgModule.Client({ connectionString: options.url, connectionTimeoutMillis: 15_000 });
    // A connection error after connect (server restart) must not crash the process unreported.
    client.on('error', () => { });
    try {
        await client.connect();
    }
    catch (error) {
        throw unreachable(address, error, options.url);
    }
    return new LocalDatabase(client, address, options);
}
function unreachable(address, error, url) {
    return new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR(`Cannot connect to the database at ${address.host}:${address.port}: ${(0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .redact */ .E$)((0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error), (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .urlPasswords */ .s1)(url))}${(0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_3__/* .postgresHint */ .z8)(error)}`);
}
class LocalDatabase {
    client;
    options;
    where;
    secrets;
    constructor(client, address, options) {
        this.client = client;
        this.options = options;
        this.where = `${address.host}:${address.port}, database ${address.database}`;
        this.secrets = (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .urlPasswords */ .s1)(options.url);
    }
    async snapshot() {
        const tables = (await this.client.query(_database__WEBPACK_IMPORTED_MODULE_7__/* .TABLES_SQL */ .Fd)).rows.map((row) => row.relname);
        const versionTableExists = tables.includes(this.options.tool.versionTable);
        if (!versionTableExists)
            return { tables, versionTableExists, version: undefined };
        const result = await this.client.query({
            text: (0,_host_db_script__WEBPACK_IMPORTED_MODULE_5__/* .versionLineSql */ .PE)(this.options.tool.versionQuery),
            rowMode: 'array',
        });
        const version = String(result.rows[0]?.[0] ?? '');
        return { tables, versionTableExists, version: version === '' ? undefined : version };
    }
    tool(command) {
        return this.runShell(command, { merged: false });
    }
    async apply(request) {
        if (!(await this.lock()))
            return { lockTimedOut: true, steps: [] };
        try {
            const now = await this.snapshot();
            if (!(0,_database__WEBPACK_IMPORTED_MODULE_7__/* .sameSnapshot */ .DM)(now, request.expected))
                return { changedMeanwhile: now, steps: [] };
            const outcome = { steps: [] };
            const objectsBefore = request.backup ? await this.objects() : undefined;
            if (request.backup)
                outcome.backup = await this.backup(request.backup);
            for (const step of ['stamp', 'migrate']) {
                const command = request[step];
                if (!command)
                    continue;
                const run = await this.runShell(command, { merged: true });
                outcome.steps.push({ step, command, run });
                if (run.timedOut) {
                    outcome.interrupted =
                        `The ${step} command ran longer than 'timeout' (${(0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(this.options.commandTimeoutMs)}) ` +
                            'and was stopped, with every process it started.';
                }
                if (run.exitCode !== 0)
                    break;
            }
            if (objectsBefore) {
                const objectsAfter = await this.objects().catch(() => undefined);
                if (objectsAfter)
                    outcome.leftovers = (0,_database__WEBPACK_IMPORTED_MODULE_7__/* .leftoversOf */ .Kz)(objectsBefore, objectsAfter);
            }
            return outcome;
        }
        finally {
            await this.client.query(`SELECT pg_advisory_unlock(${_database__WEBPACK_IMPORTED_MODULE_7__/* .LOCK_SQL_KEY */ .bl})`).catch(() => undefined);
        }
    }
    /** The password comes from PGPASSWORD or ~/.pgpass: the command is printed and kept in records. */
    restoreCommand(backup, leftovers) {
        const dbname = (0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_4__/* .shellQuote */ .ZL)(`--dbname=${(0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .urlWithoutPassword */ .PO)(this.options.url)}`);
        const restore = `pg_restore --clean --if-exists --single-transaction --no-owner ${dbname} ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_4__/* .shellQuote */ .ZL)(backup.file)}`;
        if (leftovers.length === 0)
            return restore;
        return `psql -X -q -v ON_ERROR_STOP=1 ${dbname} -c ${(0,_gatehouse_command_runner__WEBPACK_IMPORTED_MODULE_4__/* .shellQuote */ .ZL)(leftovers.join('; '))} && ${restore}`;
    }
    async close() {
        await this.client.end().catch(() => undefined);
    }
    /** False when another bootstrap held the lock for all of lock-timeout. */
    async lock() {
        await this.client.query(`SET lock_timeout = ${Math.max(1, Math.round(this.options.lockTimeoutMs))}`);
        try {
            await this.client.query(`SELECT pg_advisory_lock(${_database__WEBPACK_IMPORTED_MODULE_7__/* .LOCK_SQL_KEY */ .bl})`);
            return true;
        }
        catch (error) {
            if (error.code === '55P03')
                return false;
            throw error;
        }
        finally {
            await this.client.query('SET lock_timeout = 0').catch(() => undefined);
        }
    }
    async objects() {
        return (await this.client.query(_database__WEBPACK_IMPORTED_MODULE_7__/* .OBJECTS_SQL */ .gB)).rows.map((row) => row.stmt);
    }
    /**
     * The runner's bash reads ~/.bashrc for `-c` when its standard input is a socket (as Node gives
     * it) and SHLVL is unset (as on a runner): a pyenv or nvm line there would change which tool
     * runs. `merged`: standard error joins standard output in order, as a person would see them.
     */
    async runShell(command, options) {
        const script = options.merged ? `exec 2>&1\n${command}` : command;
        const result = await (0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .runCommand */ .d1)('bash', ['--noprofile', '--norc', '-c', script], {
            cwd: this.options.workingDirectory,
            env: { ...process.env, DATABASE_URL: this.options.url },
            timeoutMs: this.options.commandTimeoutMs,
        });
        const stdout = (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .redact */ .E$)(result.stdout, this.secrets);
        const output = options.merged ? stdout : `${stdout}${(0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .redact */ .E$)(result.stderr, this.secrets)}`;
        return {
            exitCode: result.exitCode,
            stdout,
            output: (0,_database__WEBPACK_IMPORTED_MODULE_7__/* .tail */ .RT)(output, _database__WEBPACK_IMPORTED_MODULE_7__/* .OUTPUT_KEPT */ .R_),
            ...(result.timedOut ? { timedOut: true } : {}),
        };
    }
    /**
     * pg_dump -Fc to a partial file, renamed once whole, then read back with pg_restore --list.
     * Partial files of runs killed mid-dump are swept first: this run holds the lock.
     */
    async backup(plan) {
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(this.options.workingDirectory, plan.dir);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(dir, { recursive: true });
        for (const name of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir)) {
            if ((0,_database__WEBPACK_IMPORTED_MODULE_7__/* .isStalePartial */ .LO)(name, plan.prefix))
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name), { force: true });
        }
        const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, `${plan.prefix}-${plan.timestamp}.dump`);
        const partial = `${file}.partial`;
        const env = { ...process.env, PGPASSWORD: (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .urlPassword */ .Ds)(this.options.url) ?? '' };
        const dump = await (0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .runCommand */ .d1)('pg_dump', ['-Fc', '--no-password', `--file=${partial}`, `--dbname=${(0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .urlWithoutPassword */ .PO)(this.options.url)}`], { env });
        if (dump.exitCode !== 0) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(partial, { force: true });
            throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR(`pg_dump of ${this.where} failed (exit ${dump.exitCode}); nothing was changed: ${(0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_6__/* .redact */ .E$)((0,_database__WEBPACK_IMPORTED_MODULE_7__/* .tail */ .RT)(dump.stderr, 1000), this.secrets)}${(0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_3__/* .postgresHint */ .z8)(dump.stderr)}`);
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(partial, file);
        const bytes = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(file)).size;
        const list = await (0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .runCommand */ .d1)('pg_restore', ['--list', file]);
        const entries = list.stdout
            .split('\n')
            .filter((line) => line.trim() !== '' && !line.startsWith(';')).length;
        if (bytes === 0 || list.exitCode !== 0) {
            throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_2__/* .ActionFailure */ .dR(`The backup ${file} could not be verified (${bytes} bytes; pg_restore --list exit ${list.exitCode}); nothing was changed.`);
        }
        const removed = (0,_database__WEBPACK_IMPORTED_MODULE_7__/* .backupsToRemove */ .xK)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir), plan.prefix, plan.keep);
        for (const name of removed)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name), { force: true });
        return { file, bytes, entries, removed };
    }
}


/***/ })

};
