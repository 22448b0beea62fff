import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Every file and directory under `root` with its mode, owner, size, content hash and mtime in
 * nanoseconds: two snapshots are equal only if nothing was written, created, removed or touched.
 */
export async function snapshotTree(root: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const stat = await lstat(path, { bigint: true });
    const rel = relative(root, path) || '.';
    let content = '';
    if (stat.isFile())
      content = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    if (stat.isSymbolicLink()) content = await readlink(path);
    lines.push(
      `${rel} mode=${stat.mode.toString(8)} uid=${stat.uid} size=${stat.size} mtime=${stat.mtimeNs} ${content}`,
    );
    if (stat.isDirectory()) {
      for (const name of (await readdir(path)).sort()) await walk(join(path, name));
    }
  };
  await walk(root);
  return lines;
}
