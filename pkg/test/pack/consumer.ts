// Packaging smoke: the installed package's types resolve through package.json "exports".
import init, { parseDoc, type ToolDoc } from 'tooldraft';
import { initSync } from 'tooldraft/web';

export async function load(bytes: ArrayBuffer): Promise<ToolDoc> {
  initSync(bytes);
  await init();
  return parseDoc('{}');
}
