#!/usr/bin/env node
// The tooldraft CLI. Commands and exit codes: `tooldraft --help` (lib/cli.mjs).
import { EXIT } from '../lib/exit-codes.mjs';
import { removePendingTemps } from '../lib/output.mjs';

const controller = new AbortController();
const argv = process.argv.slice(2);
// How long a command may take to stop (refine saves its state): see interruptGraceMs in lib/cli.mjs.
let graceMs = 2000;

// First Ctrl-C (or SIGTERM): ask the command to stop (it cleans up and exits with 4);
// if it has not within its grace period (2 s for most), or on a second Ctrl-C, exit at once.
function onSignal() {
  if (controller.signal.aborted) {
    removePendingTemps();
    process.exit(EXIT.INTERRUPTED);
  }
  controller.abort();
  setTimeout(() => {
    removePendingTemps();
    process.stderr.write('tooldraft: interrupted\n');
    process.exit(EXIT.INTERRUPTED);
  }, graceMs).unref();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed pipe (`tooldraft … | head`) is not an error.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? EXIT.OK : EXIT.INTERNAL));

let main;
try {
  let interruptGraceMs;
  ({ main, interruptGraceMs } = await import('../lib/cli.mjs'));
  graceMs = interruptGraceMs?.(argv) ?? graceMs;
} catch (e) {
  process.stderr.write(
    `tooldraft: cannot load the WebAssembly module (${e?.message ?? e}); in a checkout, run \`make build\` first\n`,
  );
  process.exit(EXIT.INTERNAL);
}
process.exit(await main(argv, { signal: controller.signal }));
