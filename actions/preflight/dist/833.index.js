export const id = 833;
export const ids = [833];
export const modules = {

/***/ 1833:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sdkSsmApi: () => (/* binding */ sdkSsmApi)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6885);
/* harmony import */ var _api__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6261);


/**
 * The real SDK behind `SsmApi`. Adaptive retry: on ThrottlingException the SDK backs off and
 * rate-limits its own later calls, so a large fleet's polling slows down instead of failing.
 * Region and credentials come from the SDK's default chain; `AWS_ENDPOINT_URL_SSM` is honoured.
 */
async function sdkSsmApi(region, cloudwatchLogGroup) {
    const config = { ...(region ? { region } : {}), retryMode: 'adaptive', maxAttempts: 10 };
    const client = new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .SSMClient */ .jBj(config);
    const api = {
        sendCommand: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .SendCommandCommand */ .VWR(input)),
        listCommandInvocations: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .ListCommandInvocationsCommand */ .mdT(input)),
        listCommands: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .ListCommandsCommand */ .I$q(input)),
        getCommandInvocation: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .GetCommandInvocationCommand */ .ryN(input)),
        cancelCommand: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .CancelCommandCommand */ .tal(input)),
        describeInstanceInformation: (input) => client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .DescribeInstanceInformationCommand */ .MXw(input)),
    };
    if (cloudwatchLogGroup) {
        const { CloudWatchLogsClient, GetLogEventsCommand } = await __webpack_require__.e(/* import() */ 61).then(__webpack_require__.t.bind(__webpack_require__, 7061, 19));
        const logs = new CloudWatchLogsClient(config);
        api.readLogStream = async (logGroupName, logStreamName) => {
            const lines = [];
            let token;
            try {
                for (;;) {
                    const page = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token }));
                    for (const event of page.events ?? [])
                        lines.push(event.message ?? '');
                    // The forward token repeats once the end of the stream is reached.
                    if (!page.nextForwardToken || page.nextForwardToken === token)
                        break;
                    token = page.nextForwardToken;
                }
            }
            catch (error) {
                if ((0,_api__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorName */ .ZH)(error) === 'ResourceNotFoundException')
                    return undefined;
                throw error;
            }
            return lines.join('\n');
        };
    }
    return api;
}


/***/ })

};
