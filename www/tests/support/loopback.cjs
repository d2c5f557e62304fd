// Preload (NODE_OPTIONS=--require) that makes servers calling listen(PORT) with no host bind
// 127.0.0.1 only (server-everything, supergateway).
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const cb = args.find((a) => typeof a === 'function');
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    return listen.call(this, { port: Number(args[0]), host: '127.0.0.1' }, cb);
  }
  if (args[0] && typeof args[0] === 'object' && args[0].path === undefined) {
    return listen.call(this, { ...args[0], host: '127.0.0.1' }, cb);
  }
  return listen.apply(this, args);
};
