export const id = 406;
export const ids = [406];
export const modules = {

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

/***/ 4406:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connectLocal: () => (/* binding */ connectLocal)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ../../packages/action-kit/src/index.ts + 7 modules
var src = __webpack_require__(3422);
// EXTERNAL MODULE: ../../packages/action-kit/src/known-errors/index.ts + 2 modules
var known_errors = __webpack_require__(3374);
// EXTERNAL MODULE: ../../packages/command-runner/src/index.ts
var command_runner_src = __webpack_require__(7587);
// EXTERNAL MODULE: ./src/database.ts
var database = __webpack_require__(1286);
;// CONCATENATED MODULE: ./src/database-url.ts

/**
 * The parts of a database URL that may be shown: host, port, database and user. The password is
 * never part of any message; `addressText` is what errors and logs print.
 */
function parseDatabaseUrl(url, inputName = 'database-url') {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new src/* ConfigurationError */.j1(`Input '${inputName}' must be a postgres:// or postgresql:// URL.`);
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
        throw new src/* ConfigurationError */.j1(`Input '${inputName}' must be a postgres:// or postgresql:// URL, got scheme '${parsed.protocol}'.`);
    }
    return {
        host: decodeURIComponent(parsed.hostname) || 'localhost',
        port: parsed.port ? Number(parsed.port) : 5432,
        database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
        user: decodeURIComponent(parsed.username),
    };
}
function addressText(address) {
    return `${address.host}:${address.port}`;
}
/** The URL with its password removed: safe for a printed restore command. */
function urlWithoutPassword(url) {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
}
/** The password, decoded, for the PGPASSWORD of a child process (never its arguments). */
function passwordOf(url) {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
}

// EXTERNAL MODULE: ./src/host-db-script.ts
var host_db_script = __webpack_require__(7906);
// EXTERNAL MODULE: ./src/redact.ts
var redact = __webpack_require__(3534);
;// CONCATENATED MODULE: ./src/local-database.ts









/**
 * `target: local` with `database-url`: detection and the advisory lock through the `pg` driver
 * (loaded only here), tools and pg_dump as local processes with the URL in their environment.
 */
async function connectLocal(options) {
    const address = parseDatabaseUrl(options.url);
    const { default: pgModule } = await __webpack_require__.e(/* import() */ 293).then(__webpack_require__.bind(__webpack_require__, 2293));
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
    return new src/* ActionFailure */.dR(`Cannot connect to the database at ${addressText(address)}: ${(0,redact/* redact */.E)((0,src/* errorMessage */.gJ)(error), (0,redact/* urlSecrets */.F)(url))}${(0,known_errors/* postgresHint */.z8)(error)}`);
}
class LocalDatabase {
    client;
    options;
    where;
    secrets;
    constructor(client, address, options) {
        this.client = client;
        this.options = options;
        this.where = `${addressText(address)}, database ${address.database}`;
        this.secrets = (0,redact/* urlSecrets */.F)(options.url);
    }
    async snapshot() {
        const tables = (await this.client.query(database/* TABLES_SQL */.Fd)).rows.map((row) => row.relname);
        const versionTableExists = tables.includes(this.options.tool.versionTable);
        if (!versionTableExists)
            return { tables, versionTableExists, version: undefined };
        const result = await this.client.query({
            text: (0,host_db_script/* versionLineSql */.PE)(this.options.tool.versionQuery),
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
            if (!(0,database/* sameSnapshot */.DM)(now, request.expected))
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
                        `The ${step} command ran longer than 'timeout' (${(0,src/* formatDuration */.a3)(this.options.commandTimeoutMs)}) ` +
                            'and was stopped, with every process it started.';
                }
                if (run.exitCode !== 0)
                    break;
            }
            if (objectsBefore) {
                const objectsAfter = await this.objects().catch(() => undefined);
                if (objectsAfter)
                    outcome.leftovers = (0,database/* leftoversOf */.Kz)(objectsBefore, objectsAfter);
            }
            return outcome;
        }
        finally {
            await this.client.query(`SELECT pg_advisory_unlock(${database/* LOCK_SQL_KEY */.bl})`).catch(() => undefined);
        }
    }
    /** The password comes from PGPASSWORD or ~/.pgpass: the command is printed and kept in records. */
    restoreCommand(backup, leftovers) {
        const dbname = (0,command_runner_src/* shellQuote */.ZL)(`--dbname=${urlWithoutPassword(this.options.url)}`);
        const restore = `pg_restore --clean --if-exists --single-transaction --no-owner ${dbname} ${(0,command_runner_src/* shellQuote */.ZL)(backup.file)}`;
        if (leftovers.length === 0)
            return restore;
        return `psql -X -q -v ON_ERROR_STOP=1 ${dbname} -c ${(0,command_runner_src/* shellQuote */.ZL)(leftovers.join('; '))} && ${restore}`;
    }
    async close() {
        await this.client.end().catch(() => undefined);
    }
    /** False when another bootstrap held the lock for all of lock-timeout. */
    async lock() {
        await this.client.query(`SET lock_timeout = ${Math.max(1, Math.round(this.options.lockTimeoutMs))}`);
        try {
            await this.client.query(`SELECT pg_advisory_lock(${database/* LOCK_SQL_KEY */.bl})`);
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
        return (await this.client.query(database/* OBJECTS_SQL */.gB)).rows.map((row) => row.stmt);
    }
    /**
     * The runner's bash reads ~/.bashrc for `-c` when its standard input is a socket (as Node gives
     * it) and SHLVL is unset (as on a runner): a pyenv or nvm line there would change which tool
     * runs. `merged`: standard error joins standard output in order, as a person would see them.
     */
    async runShell(command, options) {
        const script = options.merged ? `exec 2>&1\n${command}` : command;
        const result = await (0,src/* runCommand */.d1)('bash', ['--noprofile', '--norc', '-c', script], {
            cwd: this.options.workingDirectory,
            env: { ...process.env, DATABASE_URL: this.options.url },
            timeoutMs: this.options.commandTimeoutMs,
        });
        const stdout = (0,redact/* redact */.E)(result.stdout, this.secrets);
        const output = options.merged ? stdout : `${stdout}${(0,redact/* redact */.E)(result.stderr, this.secrets)}`;
        return {
            exitCode: result.exitCode,
            stdout,
            output: (0,database/* tail */.RT)(output, database/* OUTPUT_KEPT */.R_),
            ...(result.timedOut ? { timedOut: true } : {}),
        };
    }
    /**
     * pg_dump -Fc to a partial file, renamed once whole, then read back with pg_restore --list.
     * Partial files of runs killed mid-dump are swept first: this run holds the lock.
     */
    async backup(plan) {
        const dir = (0,external_node_path_.resolve)(this.options.workingDirectory, plan.dir);
        await (0,promises_.mkdir)(dir, { recursive: true });
        for (const name of await (0,promises_.readdir)(dir)) {
            if ((0,database/* isStalePartial */.LO)(name, plan.prefix))
                await (0,promises_.rm)((0,external_node_path_.join)(dir, name), { force: true });
        }
        const file = (0,external_node_path_.join)(dir, `${plan.prefix}-${plan.timestamp}.dump`);
        const partial = `${file}.partial`;
        const env = { ...process.env, PGPASSWORD: passwordOf(this.options.url) ?? '' };
        const dump = await (0,src/* runCommand */.d1)('pg_dump', ['-Fc', '--no-password', `--file=${partial}`, `--dbname=${urlWithoutPassword(this.options.url)}`], { env });
        if (dump.exitCode !== 0) {
            await (0,promises_.rm)(partial, { force: true });
            throw new src/* ActionFailure */.dR(`pg_dump of ${this.where} failed (exit ${dump.exitCode}); nothing was changed: ${(0,redact/* redact */.E)((0,database/* tail */.RT)(dump.stderr, 1000), this.secrets)}${(0,known_errors/* postgresHint */.z8)(dump.stderr)}`);
        }
        await (0,promises_.rename)(partial, file);
        const bytes = (await (0,promises_.stat)(file)).size;
        const list = await (0,src/* runCommand */.d1)('pg_restore', ['--list', file]);
        const entries = list.stdout
            .split('\n')
            .filter((line) => line.trim() !== '' && !line.startsWith(';')).length;
        if (bytes === 0 || list.exitCode !== 0) {
            throw new src/* ActionFailure */.dR(`The backup ${file} could not be verified (${bytes} bytes; pg_restore --list exit ${list.exitCode}); nothing was changed.`);
        }
        const removed = (0,database/* backupsToRemove */.xK)(await (0,promises_.readdir)(dir), plan.prefix, plan.keep);
        for (const name of removed)
            await (0,promises_.rm)((0,external_node_path_.join)(dir, name), { force: true });
        return { file, bytes, entries, removed };
    }
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
