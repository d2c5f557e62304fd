// Packaging smoke: a Vite app that imports the package and initialises it with `await init()`.
import init, { diffText, parseDoc, version } from 'tooldraft';

const out = document.getElementById('out');
try {
  await init();
  let name = 'none';
  try {
    parseDoc('{"a": }');
  } catch (e) {
    name = e.name;
  }
  const ops = diffText('a b', 'a c')
    .map((c) => c.op)
    .join(',');
  out.textContent = `vite ok: tooldraft ${version()} ${name} ${ops}`;
} catch (e) {
  out.textContent = `vite failed: ${e}`;
}
