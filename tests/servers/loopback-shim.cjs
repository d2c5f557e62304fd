// Forces every TCP server in this Node process to listen on 127.0.0.1 only.
//
// Some servers we test against (MCP server-everything, supergateway) call `listen(PORT)` with
// no host, which binds every interface. Preload this file to keep them on loopback:
//
//   NODE_OPTIONS="--require /abs/path/tests/servers/loopback-shim.cjs" node server.js
//
// Unix-socket and handle listens are left alone. Set LOOPBACK_SHIM_DEBUG=1 to log rewrites.
'use strict';

const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const original = net.Server.prototype.listen;

function isPort(v) {
  return typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
}

function rewrite(args) {
  const first = args[0];
  if (first === undefined || typeof first === 'function') {
    // listen() or listen(cb): a random port on all interfaces by default.
    return [0, LOOPBACK, ...args];
  }
  if (isPort(first)) {
    const out = args.slice();
    if (typeof out[1] === 'string' || out[1] === null || (out.length > 1 && out[1] === undefined)) {
      out[1] = LOOPBACK;
    } else {
      out.splice(1, 0, LOOPBACK);
    }
    return out;
  }
  if (first !== null && typeof first === 'object' && !('_handle' in first) && !('fd' in first)) {
    if (first.path !== undefined) return args; // a Unix socket
    return [{ ...first, host: LOOPBACK }, ...args.slice(1)];
  }
  return args; // a Unix socket path or a handle
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const rewritten = rewrite(args);
  if (process.env.LOOPBACK_SHIM_DEBUG) {
    process.stderr.write(
      `loopback-shim: listen(${JSON.stringify(args.filter((a) => typeof a !== 'function'))}) -> ${JSON.stringify(rewritten.filter((a) => typeof a !== 'function'))}\n`,
    );
  }
  return original.apply(this, rewritten);
};
