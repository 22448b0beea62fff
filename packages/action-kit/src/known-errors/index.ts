export { explainGitError } from './git';
export { errorChain, type NetworkProblem, networkProblem, TLS_PROBLEMS } from './network';
export { explainPostgresError, type PostgresAddress, postgresAddress, postgresHint } from './postgres';
export { classifyKnownError } from './top-level';
