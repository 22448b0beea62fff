/**
 * An embedded PostgreSQL (PGlite, WebAssembly) behind pglite-socket, for the demo and quick local
 * runs where nothing is installed. It speaks the wire protocol on 127.0.0.1, so the `pg` driver
 * connects with an ordinary URL. One connection at a time unless `maxConnections` is raised (then
 * pglite-socket multiplexes them onto PGlite's one session), no pg_dump: real-server tests remain
 * the reference.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  /**
   * Runs SQL in this process on the same PGlite, without taking a socket connection: a service
   * living next to the database (the demo's sample app) reads it while a client is connected.
   * Several statements may be given; the rows of the last one are returned.
   */
  query(sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  options: { port?: number; dataDir?: string; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    port,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async query(sql) {
      const results = await db.exec(sql);
      return (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[];
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
