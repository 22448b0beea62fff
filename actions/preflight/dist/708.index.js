export const id = 708;
export const ids = [708];
export const modules = {

/***/ 1708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkDatabaseMarker: () => (/* binding */ checkDatabaseMarker)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6685);
/* harmony import */ var _gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7504);
/* harmony import */ var _gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1077);



/**
 * The database's own environment marker (e.g. `app_settings.environment`), read with the pg
 * driver (loaded only here) in a read-only transaction: the wrong database is caught before any
 * migration runs. Errors name host and port, never the password.
 */
async function checkDatabaseMarker(url, query, expected) {
    const address = (0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__/* .postgresAddress */ .mX)('database-url', url);
    const where = `${address.host}:${address.port}`;
    const { default: pg } = await __webpack_require__.e(/* import() */ 945).then(__webpack_require__.bind(__webpack_require__, 4945));
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
    client.on('error', () => { });
    try {
        await client.connect();
        await client.query('BEGIN READ ONLY');
        const result = await client.query({ text: query, rowMode: 'array' });
        await client.query('ROLLBACK');
        const marker = result.rows[0]?.[0];
        if (marker === undefined || marker === null) {
            return { check: 'database', verdict: 'fail', reason: `the marker query returned no value at ${where}` };
        }
        return String(marker) === expected
            ? { check: 'database', verdict: 'pass', reason: `the database at ${where} is marked ${expected}` }
            : {
                check: 'database',
                verdict: 'fail',
                reason: `the database at ${where} is marked '${String(marker)}', expected ${expected} (wrong database?)`,
            };
    }
    catch (error) {
        const message = (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)((0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error), (0,_gatehouse_action_kit_secrets__WEBPACK_IMPORTED_MODULE_2__/* .urlPasswords */ .s1)(url));
        const hint = (0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_1__/* .explainPostgresError */ .Tg)(error);
        return {
            check: 'database',
            verdict: 'fail',
            reason: `cannot check the database at ${where}: ${message}${hint ? ` — ${hint}` : ''}`,
        };
    }
    finally {
        await client.end().catch(() => undefined);
    }
}


/***/ })

};
