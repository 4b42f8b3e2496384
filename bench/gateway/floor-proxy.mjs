// The floor for bench/gateway.bench.mjs: the least a Node pass-through proxy can do. Raw node:http in front of an
// undici Pool (64 connections, pipelining 1) to the upstream; it reads the request body, forwards it with the
// provider's key in place of the client's, and pipes the answer back. No parsing, no accounting.
// By default the answer goes back through `stream.pipeline`, the idiomatic way, as the floor (~5.5k req/s
// here). With `--lean` through `Readable#pipe` and two listeners instead: on Node 20, `pipeline` makes an
// AbortController per call and aborts it when done, which builds a DOMException with its stack trace: in CPU profiles
// ~14% of the floor's main thread, and the lean floor serves 1.25-1.8x as many requests.
// Prints `{"port":N}` on stdout when listening; exits when its stdin closes (its parent went away).
//   node bench/gateway/floor-proxy.mjs http://127.0.0.1:<upstream port> [--lean]
import { createServer } from 'node:http';
import { pipeline } from 'node:stream';

// Importing npm undici 7 replaces Node 20's global dispatcher; warm the built-in fetch first (MEASUREMENTS.md).
await fetch('data:,').then((response) => response.arrayBuffer());
const { Pool } = await import('undici');

const upstream = process.argv[2];
const lean = process.argv.includes('--lean');
if (upstream === undefined) {
  console.error('floor-proxy: usage: node bench/gateway/floor-proxy.mjs <upstream origin>');
  process.exit(2);
}
const pool = new Pool(upstream, { connections: 64, pipelining: 1 });
const authorization = `Bearer ${process.env.BENCH_UPSTREAM_KEY ?? 'sk-bench'}`;
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    pool.request(
      {
        path: request.url,
        method: request.method,
        headers: {
          'content-type': request.headers['content-type'] ?? 'application/json',
          authorization,
        },
        body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      },
      (error, answer) => {
        if (error) {
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ error: { message: `floor-proxy: ${error.message}`, type: 'bad_gateway' } }),
          );
          return;
        }
        const headers = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!hopByHop.has(name)) headers[name] = value;
        }
        response.writeHead(answer.statusCode, headers);
        if (lean) {
          answer.body.on('error', () => response.destroy());
          response.on('close', () => answer.body.destroy());
          answer.body.pipe(response);
        } else pipeline(answer.body, response, () => {});
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
