/// <reference types="vite/client" />

// The package is resolved by a Vite alias (vite.config.ts); the worker reads it through
// `TooldraftApi` (src/tooldraft-api.ts), so only the default export is declared here.
declare module 'tooldraft' {
  export default function init(input?: unknown): Promise<unknown>;
}
