// Writing the CLI's results: atomically to a file (a temporary file beside it, then a rename,
// so a failure never leaves a partial or truncated file), or to stdout.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT } from './exit-codes.mjs';

/** Temporary files being written, removed if the process is interrupted. */
export const pendingTemps = new Set();

/**
 * Writes `text` to `path` atomically. The old file (if any) stays untouched on failure.
 * @param {string} path
 * @param {string} text
 */
export async function writeFileAtomic(path, text) {
  const dir = dirname(path);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`cannot write ${path}: it is a directory`, EXIT.USAGE);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e.code !== 'ENOENT') throw new CliError(`cannot write ${path}: ${e.message}`, EXIT.USAGE);
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemps.add(temp);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => {});
    if (e.code === 'ENOENT')
      throw new CliError(`cannot write ${path}: the directory ${dir} does not exist`, EXIT.USAGE);
    if (e.code === 'EACCES' || e.code === 'EPERM')
      throw new CliError(`cannot write ${path}: permission denied`, EXIT.USAGE);
    throw new CliError(`cannot write ${path}: ${e.message}`, EXIT.INTERNAL);
  } finally {
    pendingTemps.delete(temp);
  }
}

/** Removes temporary files left by an interrupted write (synchronously: used on exit). */
export function removePendingTemps() {
  for (const temp of pendingTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  pendingTemps.clear();
}

/** Writes to a stream and waits until the data is handed over. */
export function writeOut(stream, text) {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
