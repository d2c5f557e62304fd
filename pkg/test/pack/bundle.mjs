// Builds an entry into one CommonJS file with rolldown: node bundle.mjs <entry> <out.cjs>.
import { rolldown } from 'rolldown';

const [entry, out] = process.argv.slice(2);
const build = await rolldown({ input: entry, platform: 'node', external: [/^node:/] });
await build.write({ file: out, format: 'cjs' });
await build.close();
