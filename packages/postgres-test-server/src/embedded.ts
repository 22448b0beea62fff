/**
 * An embedded PostgreSQL (PGlite, WebAssembly) behind pglite-socket, for the demo and quick local
 * runs where nothing is installed. It speaks the wire protocol on 127.0.0.1, so the `pg` driver
 * connects with an ordinary URL. One connection at a time, no pg_dump: real-server tests remain
 * the reference.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  options: { port?: number; dataDir?: string } = {},
): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    port,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
