export { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded';
export { findPostgresBinDir, postgresUnavailableReason } from './find-binaries';
export { type PostgresServer, startPostgres } from './server';
