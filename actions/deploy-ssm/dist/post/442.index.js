export const id = 442;
export const ids = [442];
export const modules = {

/***/ 6261:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VN: () => (/* binding */ chunks),
/* harmony export */   ZH: () => (/* binding */ awsErrorName),
/* harmony export */   ml: () => (/* binding */ systemClock),
/* harmony export */   vL: () => (/* binding */ SSM_BATCH)
/* harmony export */ });
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
/** The AWS error code of an SDK error (its `name`), e.g. `InvocationDoesNotExist`. */
function awsErrorName(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const { name, __type } = error;
    if (typeof name === 'string' && name !== 'Error')
        return name;
    return typeof __type === 'string' ? __type.split('#').pop() : undefined;
}
/** SSM's limits: 50 instance ids per SendCommand, and the page size of invocation listings. */
const SSM_BATCH = 50;
function chunks(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}


/***/ }),

/***/ 4442:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cancelCommands: () => (/* binding */ cancelCommands),
  ssmRunner: () => (/* binding */ ssmRunner)
});

// UNUSED EXPORTS: describeTargets

// EXTERNAL MODULE: ../../packages/command-runner/src/ssm/api.ts
var ssm_api = __webpack_require__(6261);
;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/output.ts

/** What GetCommandInvocation keeps of a plugin's output. */
const SSM_STDOUT_LIMIT = 24_000;
const SSM_STDERR_LIMIT = 8_000;
/** Failed hosts whose output is fetched one by one; past this the listing's copy is shown. */
const MAX_OUTPUT_FETCHES = 25;
const TRUNCATION_MARK = /-+\s*output truncated\s*-+/i;
function looksTruncated(text, limit) {
    return text.length >= limit || TRUNCATION_MARK.test(text);
}
/** Where SSM writes a host's whole output in S3 (bucket, prefix, command, instance, plugin). */
function s3OutputLocation(bucket, commandId, host) {
    return `s3://${bucket}/gatehouse/${commandId}/${host}/awsrunShellScript/0.awsrunShellScript/`;
}
function cloudwatchStream(commandId, host, stream) {
    return `${commandId}/${host}/aws-runShellScript/${stream}`;
}
/**
 * One result per host. Succeeded hosts keep the listing's copy of their output; failed hosts get
 * GetCommandInvocation's (24,000 / 8,000 characters, cut noted), or the whole output from
 * CloudWatch Logs when a log group was configured.
 */
async function hostResults(api, finished, output) {
    const results = [];
    let fetched = 0;
    for (const invocation of [...finished].sort((a, b) => a.host.localeCompare(b.host))) {
        const base = {
            host: invocation.host,
            status: invocation.status,
            statusDetails: invocation.statusDetails,
            exitCode: invocation.exitCode,
            stdout: invocation.output,
            stderr: '',
            outputTruncated: looksTruncated(invocation.output, 2500),
            ...(output.outputS3Bucket
                ? {
                    outputLocation: invocation.outputUrl ||
                        s3OutputLocation(output.outputS3Bucket, invocation.commandId, invocation.host),
                }
                : {}),
        };
        const ranOrTried = invocation.statusDetails !== 'NotSent';
        if (invocation.status !== 'Success' && ranOrTried && fetched < MAX_OUTPUT_FETCHES) {
            fetched++;
            results.push(await withFullOutput(api, base, invocation.commandId, output));
        }
        else {
            results.push(base);
        }
    }
    return results;
}
async function withFullOutput(api, base, commandId, output) {
    let result = base;
    try {
        const got = await api.getCommandInvocation({ CommandId: commandId, InstanceId: base.host });
        const stdout = got.StandardOutputContent ?? '';
        const stderr = got.StandardErrorContent ?? '';
        result = {
            ...base,
            stdout,
            stderr,
            exitCode: base.exitCode ??
                (typeof got.ResponseCode === 'number' && got.ResponseCode >= 0 ? got.ResponseCode : null),
            outputTruncated: looksTruncated(stdout, SSM_STDOUT_LIMIT) || looksTruncated(stderr, SSM_STDERR_LIMIT),
            ...(output.outputS3Bucket && got.StandardOutputUrl ? { outputLocation: got.StandardOutputUrl } : {}),
        };
    }
    catch (error) {
        // A host SSM never delivered to has no invocation detail; the listing's copy is all there is.
        if ((0,ssm_api/* awsErrorName */.ZH)(error) !== 'InvocationDoesNotExist')
            throw error;
    }
    if (output.cloudwatchLogGroup && api.readLogStream) {
        const group = output.cloudwatchLogGroup;
        const stdout = await api.readLogStream(group, cloudwatchStream(commandId, base.host, 'stdout'));
        const stderr = await api.readLogStream(group, cloudwatchStream(commandId, base.host, 'stderr'));
        if (stdout !== undefined || stderr !== undefined) {
            result = {
                ...result,
                stdout: stdout ?? '',
                stderr: stderr ?? '',
                outputTruncated: false,
                outputLocation: `CloudWatch Logs ${group}: ${cloudwatchStream(commandId, base.host, 'stdout')}`,
            };
        }
    }
    return result;
}

// EXTERNAL MODULE: ../../packages/action-kit/src/errors.ts
var errors = __webpack_require__(2935);
;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/precheck.ts


const INVALID_INSTANCE_HELP = 'SSM does not know it as a managed node: its agent is not running or cannot reach SSM, it is in ' +
    'another region (check aws-region), or its instance profile lacks AmazonSSMManagedInstanceCore.';
/**
 * Before sending: every target must be a managed node whose agent is Online. Offline and unknown
 * hosts are named and fail fast, instead of surfacing minutes later as DeliveryTimedOut.
 * Returns the instance ids that will run the command.
 */
async function checkTargetsOnline(api, targets) {
    const found = new Map();
    const filterSets = targets.instanceIds.length > 0
        ? (0,ssm_api/* chunks */.VN)(targets.instanceIds, ssm_api/* SSM_BATCH */.vL).map((ids) => [{ Key: 'InstanceIds', Values: ids }])
        : [targets.instanceTags.map((tag) => ({ Key: `tag:${tag.key}`, Values: [tag.value] }))];
    for (const Filters of filterSets) {
        let NextToken;
        do {
            const page = await api.describeInstanceInformation({ Filters, NextToken, MaxResults: ssm_api/* SSM_BATCH */.vL });
            for (const info of page.InstanceInformationList ?? []) {
                if (info.InstanceId)
                    found.set(info.InstanceId, info.PingStatus ?? 'Unknown');
            }
            NextToken = page.NextToken;
        } while (NextToken);
    }
    if (targets.instanceIds.length === 0) {
        if (found.size === 0) {
            const tags = targets.instanceTags.map((t) => `${t.key}=${t.value}`).join(', ');
            throw new errors/* ActionFailure */.dR(`No SSM managed node has the tags ${tags} (in this region).`);
        }
    }
    const ids = targets.instanceIds.length > 0 ? targets.instanceIds : [...found.keys()].sort();
    const unknown = ids.filter((id) => !found.has(id));
    const offline = ids.filter((id) => found.has(id) && found.get(id) !== 'Online');
    if (unknown.length > 0 || offline.length > 0) {
        const parts = [];
        if (offline.length > 0) {
            parts.push(`not online: ${offline.map((id) => `${id} (PingStatus ${found.get(id)})`).join(', ')}; ` +
                'the SSM agent is stopped or the host cannot reach SSM');
        }
        if (unknown.length > 0)
            parts.push(`unknown to SSM: ${unknown.join(', ')}; ${INVALID_INSTANCE_HELP}`);
        throw new errors/* ActionFailure */.dR(`Nothing was sent. ${ids.length} target(s) checked; ${parts.join('. ')}`);
    }
    return ids;
}

;// CONCATENATED MODULE: ../../packages/command-runner/src/shell-quote.ts
/**
 * The one way a value reaches a generated script: single-quoted, with `'` written as `'\''`.
 * Inside single quotes bash gives no character any meaning, so `$( )`, backticks, `;`, newlines
 * and unicode stay data.
 */
function shellQuote(value) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** `NAME='value'` lines for the top of a script; names are checked, values quoted. */
function shellAssignments(values) {
    return Object.entries(values)
        .map(([name, value]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
            throw new Error(`Not a shell variable name: ${name}`);
        return `${name}=${shellQuote(value)}`;
    })
        .join('\n');
}
/**
 * A value carried as base64 and decoded on the host: for multi-line user commands and anything
 * that should not even appear quoted in the SSM console's parameter view.
 */
function base64Decoded(value) {
    return `"$(printf '%s' ${shellQuote(Buffer.from(value, 'utf8').toString('base64'))} | base64 -d)"`;
}

;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/send.ts




/**
 * AWS-RunShellScript hands its `commands` to `sh`. The script is bash, so it travels base64-encoded
 * and runs under `bash -c`: no shell (sh or bash) ever sees a value of the script as code.
 */
function runShellScriptCommands(script) {
    const encoded = Buffer.from(script, 'utf8').toString('base64');
    return [`bash -c "$(printf '%s' ${shellQuote(encoded)} | base64 -d)" gatehouse-script`];
}
/** SSM's documented bounds: executionTimeout 1 s – 48 h; TimeoutSeconds 30 s – 30 days. */
function seconds(ms, min, max) {
    return Math.min(max, Math.max(min, Math.ceil(ms / 1000)));
}
function sendCommandRequests(targets, request, output) {
    const base = {
        DocumentName: 'AWS-RunShellScript',
        Comment: request.comment?.slice(0, 100),
        Parameters: {
            commands: runShellScriptCommands(request.script),
            executionTimeout: [String(seconds(request.executionTimeoutMs, 1, 172_800))],
        },
        TimeoutSeconds: seconds(request.deliveryTimeoutMs ?? 600_000, 30, 2_592_000),
        MaxConcurrency: request.maxConcurrency,
        MaxErrors: request.maxErrors,
        ...(output.outputS3Bucket
            ? { OutputS3BucketName: output.outputS3Bucket, OutputS3KeyPrefix: 'gatehouse' }
            : {}),
        ...(output.cloudwatchLogGroup
            ? {
                CloudWatchOutputConfig: {
                    CloudWatchLogGroupName: output.cloudwatchLogGroup,
                    CloudWatchOutputEnabled: true,
                },
            }
            : {}),
    };
    if (targets.instanceIds.length === 0) {
        return [
            { ...base, Targets: targets.instanceTags.map((t) => ({ Key: `tag:${t.key}`, Values: [t.value] })) },
        ];
    }
    return (0,ssm_api/* chunks */.VN)(targets.instanceIds, ssm_api/* SSM_BATCH */.vL).map((ids) => ({ ...base, InstanceIds: ids }));
}
/** Sends every chunk; each accepted command is reported at once so a post step can cancel it. */
async function sendAll(api, targets, request, output) {
    const sent = [];
    for (const input of sendCommandRequests(targets, request, output)) {
        let commandId;
        try {
            commandId = (await api.sendCommand(input)).Command?.CommandId;
        }
        catch (error) {
            const name = (0,ssm_api/* awsErrorName */.ZH)(error);
            const already = sent.length > 0 ? ` Already sent: ${sent.map((s) => s.commandId).join(', ')}.` : '';
            if (name === 'InvalidInstanceId') {
                throw new errors/* ActionFailure */.dR(`SSM rejected the targets (InvalidInstanceId) among ${(input.InstanceIds ?? []).join(', ')}: ${INVALID_INSTANCE_HELP}${already}`);
            }
            throw new errors/* ActionFailure */.dR(`SendCommand failed (${name ?? 'error'}): ${error.message}${already}`);
        }
        if (!commandId)
            throw new Error('SendCommand returned no CommandId');
        sent.push({ commandId, instanceIds: input.InstanceIds ?? [] });
        await request.onSent?.(commandId);
    }
    return sent;
}

// EXTERNAL MODULE: ../../packages/action-kit/src/duration.ts
var duration = __webpack_require__(2572);
;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/status.ts
const INVOCATION_STATUS = {
    Pending: 'running',
    InProgress: 'running',
    Delayed: 'running',
    Cancelling: 'running',
    Success: 'Success',
    Failed: 'Failed',
    TimedOut: 'TimedOut',
    Cancelled: 'Cancelled',
};
/** What a terminal detail means; `undefined` for details that only appear while running. */
const DETAIL_STATUS = {
    Pending: undefined,
    InProgress: undefined,
    Delayed: undefined,
    Cancelling: undefined,
    Success: 'Success',
    Failed: 'Failed',
    TimedOut: 'TimedOut',
    DeliveryTimedOut: 'DeliveryTimedOut',
    ExecutionTimedOut: 'ExecutionTimedOut',
    Cancelled: 'Cancelled',
    Canceled: 'Cancelled',
    Undeliverable: 'Undeliverable',
    Terminated: 'Terminated',
    // The instance profile may not read the document or write the output: the command never ran.
    AccessDenied: 'Undeliverable',
    NoInstancesInTag: 'Undeliverable',
    Incomplete: 'Failed',
    RateExceeded: 'Undeliverable',
};
class UnknownSsmStatusError extends Error {
    name = 'UnknownSsmStatusError';
}
function normaliseDetails(details) {
    return (details ?? '').replace(/\s+/g, '');
}
/** The meaning of one invocation's Status and StatusDetails. */
function invocationState(status, details) {
    if (status === undefined || !(status in INVOCATION_STATUS)) {
        throw new UnknownSsmStatusError(`SSM reported an invocation status Gatehouse does not know: '${status}'.`);
    }
    const byStatus = INVOCATION_STATUS[status];
    if (byStatus === 'running')
        return { done: false };
    const normalised = normaliseDetails(details) || status;
    if (!(normalised in DETAIL_STATUS)) {
        throw new UnknownSsmStatusError(`SSM reported status '${status}' with details Gatehouse does not know: '${details}'.`);
    }
    // The detail is the more precise of the two (TimedOut → DeliveryTimedOut or ExecutionTimedOut).
    const byDetail = DETAIL_STATUS[normalised] ?? byStatus;
    return {
        done: true,
        status: byDetail,
        statusDetails: normalised === 'Canceled' ? 'Cancelled' : normalised,
    };
}
/** Command-level statuses (ListCommands): whether SSM will create no more invocations. */
const COMMAND_STATUS = {
    Pending: false,
    InProgress: false,
    Cancelling: false,
    Success: true,
    Failed: true,
    TimedOut: true,
    Cancelled: true,
};
function commandFinished(status) {
    if (status === undefined || !(status in COMMAND_STATUS)) {
        throw new UnknownSsmStatusError(`SSM reported a command status Gatehouse does not know: '${status}'.`);
    }
    return COMMAND_STATUS[status];
}
/** Words for a person reading the log, per terminal state. */
const STATUS_MEANING = {
    Success: 'the script exited 0',
    Failed: 'the script exited non-zero',
    TimedOut: 'the command timed out',
    Cancelled: 'the command was cancelled before it finished',
    Undeliverable: 'SSM could not deliver the command (agent offline, instance stopped or access denied)',
    Terminated: 'the instance was terminated while the command ran',
    DeliveryTimedOut: 'the command was not delivered within delivery-timeout',
    ExecutionTimedOut: 'the script ran longer than execution-timeout and was stopped',
};

;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/wait.ts




/**
 * Poll fast while a short deploy may finish (every 500 ms for the first 10 s, so a finish is seen
 * within half a second), then back off ×1.5 per poll to a cap of 5 s for long deploys.
 */
const FIRST_POLL_MS = 500;
function pollDelay(pollNumber, previousMs) {
    if (pollNumber < 20)
        return FIRST_POLL_MS;
    return Math.min(5000, Math.round(previousMs * 1.5));
}
/** Errors SSM returns while a just-sent command's invocations are still being created. */
const NOT_YET = new Set(['InvocationDoesNotExist', 'InvalidCommandId']);
/**
 * Waits on every invocation of every command with paged ListCommandInvocations: about one call
 * per 50 hosts per poll, however many hosts, instead of one GetCommandInvocation per host.
 */
async function waitForInvocations(api, sent, options) {
    const { clock } = options;
    const started = clock.now();
    const tracked = sent.map((s) => ({
        sent: s,
        finished: new Map(),
        seen: new Set(),
        done: false,
    }));
    let delay = FIRST_POLL_MS;
    for (let poll = 0;; poll++) {
        await clock.sleep(delay, options.signal);
        const elapsed = clock.now() - started;
        let calls = 0;
        for (const command of tracked.filter((t) => !t.done)) {
            calls += await pollCommand(api, command, elapsed, options);
        }
        options.onPoll?.(calls);
        if (tracked.every((t) => t.done))
            break;
        if (elapsed > options.deadlineMs) {
            const running = tracked.flatMap((t) => [...t.seen].filter((h) => !t.finished.has(h)));
            throw new errors/* ActionFailure */.dR(`SSM still reports hosts running ${(0,duration/* formatDuration */.a3)(elapsed)} after sending ` +
                `(past delivery-timeout + execution-timeout): ${running.join(', ') || 'no invocation listed yet'}. ` +
                `Commands: ${sent.map((s) => s.commandId).join(', ')}.`);
        }
        delay = pollDelay(poll + 1, delay);
    }
    return tracked.flatMap((t) => [...t.finished.values()]);
}
/** One poll of one command; returns how many SSM calls it made. */
async function pollCommand(api, command, elapsed, options) {
    const { commandId, instanceIds } = command.sent;
    const listed = [];
    let calls = 0;
    let NextToken;
    try {
        do {
            calls++;
            const page = await api.listCommandInvocations({
                CommandId: commandId,
                Details: true,
                MaxResults: ssm_api/* SSM_BATCH */.vL,
                NextToken,
            });
            listed.push(...(page.CommandInvocations ?? []));
            NextToken = page.NextToken;
        } while (NextToken);
    }
    catch (error) {
        const name = (0,ssm_api/* awsErrorName */.ZH)(error);
        if (name === 'ThrottlingException') {
            // The SDK's adaptive retry already backed off; this poll simply did not happen.
            options.log?.(`SSM throttled the status poll of ${commandId}; polling again shortly`);
            return calls;
        }
        if (!(name && NOT_YET.has(name) && elapsed <= options.appearWithinMs))
            throw error;
    }
    for (const invocation of listed) {
        const host = invocation.InstanceId;
        if (!host || command.finished.has(host))
            continue;
        command.seen.add(host);
        const state = invocationState(invocation.Status, invocation.StatusDetails);
        if (state.done)
            command.finished.set(host, finishedInvocation(commandId, host, state, invocation));
    }
    const allListedDone = command.seen.size > 0 && [...command.seen].every((h) => command.finished.has(h));
    const missing = instanceIds.filter((id) => !command.finished.has(id));
    if (instanceIds.length > 0 && missing.length === 0) {
        command.done = true;
        return calls;
    }
    if (command.seen.size === 0 && elapsed > options.appearWithinMs && instanceIds.length > 0) {
        throw new errors/* ActionFailure */.dR(`SSM listed no invocation of command ${commandId} ${(0,duration/* formatDuration */.a3)(elapsed)} after it was sent ` +
            `(hosts ${instanceIds.join(', ')}).`);
    }
    // Tag targets (and hosts SSM never sent to after MaxErrors) are only known once the command is over.
    if (allListedDone || (command.seen.size === 0 && elapsed > options.appearWithinMs)) {
        calls++;
        const status = (await api.listCommands({ CommandId: commandId })).Commands?.[0]?.Status;
        if (commandFinished(status)) {
            for (const host of missing) {
                command.finished.set(host, {
                    commandId,
                    host,
                    status: 'Cancelled',
                    statusDetails: 'NotSent',
                    exitCode: null,
                    output: 'SSM did not send the command to this host: the rollout stopped (max-errors reached or cancelled).',
                });
            }
            if (command.finished.size === 0) {
                throw new errors/* ActionFailure */.dR(`Command ${commandId} ended (${status}) without running on any host: no target matched.`);
            }
            command.done = true;
        }
    }
    return calls;
}
function finishedInvocation(commandId, host, state, invocation) {
    const plugin = invocation.CommandPlugins?.[0];
    const code = plugin?.ResponseCode;
    const ran = state.status === 'Success' || state.status === 'Failed' || state.status === 'ExecutionTimedOut';
    return {
        commandId,
        host,
        ...state,
        exitCode: ran && typeof code === 'number' && code >= 0 ? code : null,
        output: plugin?.Output ?? '',
        outputUrl: plugin?.StandardOutputUrl || invocation.StandardOutputUrl || undefined,
    };
}

;// CONCATENATED MODULE: ../../packages/command-runner/src/ssm/ssm-runner.ts





/** Past delivery + execution timeouts, how long SSM may take to report the final state. */
const REPORTING_MARGIN_MS = 120_000;
/**
 * SSM Run Command: check the targets are online, send AWS-RunShellScript (50 ids per command, or
 * tag Targets), wait on every invocation, then read failed hosts' output.
 */
function ssmRunner(targets, options) {
    const { api, clock = ssm_api/* systemClock */.ml, log } = options;
    return {
        kind: 'ssm',
        describeTargets: () => describeTargets(targets),
        async run(request) {
            const ids = await checkTargetsOnline(api, targets);
            log?.(`${ids.length} host(s) online: ${abbreviate(ids)}`);
            const sent = await sendAll(api, targets, request, options);
            const finished = await waitForInvocations(api, sent, {
                clock,
                signal: request.signal,
                appearWithinMs: options.appearWithinMs ?? 60_000,
                deadlineMs: (request.deliveryTimeoutMs ?? 600_000) + request.executionTimeoutMs + REPORTING_MARGIN_MS,
                log,
                onPoll: options.onPoll,
            });
            const hosts = await hostResults(api, finished, options);
            const commandIds = sent.map((s) => s.commandId);
            return {
                commandId: commandIds.join(','),
                commandIds,
                hosts,
                succeeded: hosts.length > 0 && hosts.every((h) => h.status === 'Success'),
            };
        },
    };
}
function describeTargets(targets) {
    if (targets.instanceIds.length > 0) {
        return `${targets.instanceIds.length} instance(s) (${abbreviate(targets.instanceIds)})`;
    }
    return `instances tagged ${targets.instanceTags.map((t) => `${t.key}=${t.value}`).join(', ')}`;
}
function abbreviate(ids) {
    return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}
/** CancelCommand for each id; used by post steps when a job is cancelled mid-command. */
async function cancelCommands(api, commandIds) {
    for (const CommandId of commandIds)
        await api.cancelCommand({ CommandId });
}


/***/ })

};
