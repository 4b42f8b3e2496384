// A minimal HTTP/1.1 keep-alive client for the load generator (bench/gateway/load.mjs). The generator shares the
// 2-core machine with what it measures, so every microsecond it spends is taken from the upstream and the proxy:
// through undici's Pool it used ~290 µs of CPU per request (a whole core at c=64, about what the floor proxy
// itself uses). This one writes each request as one pre-built buffer on a raw socket and reads the answer with
// the least parsing that still checks it: the status line, then Content-Length or chunked framing. It is for
// the bench's own fake upstream and proxies, not a general client: no redirects, no 1xx, no pipelining.
import { connect } from 'node:net';

const headerEnd = Buffer.from('\r\n\r\n');
const crlf = Buffer.from('\r\n');

/** One keep-alive connection carrying one request at a time. */
class Connection {
  constructor(host, port, onFree) {
    this.host = host;
    this.port = port;
    this.onFree = onFree;
    this.socket = undefined;
    this.pending = undefined;
    this.buffered = undefined;
  }

  /** Sends a request (a whole buffer) and resolves with `{ status, body }` once its answer has been read. */
  send(request) {
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve,
        reject,
        head: undefined,
        chunks: [],
        length: 0,
        chunked: false,
        close: false,
      };
      if (this.socket === undefined) this.open();
      this.socket.write(request);
    });
  }

  open() {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    this.buffered = undefined;
    socket.on('data', (data) => this.read(data));
    const fail = (error) => {
      // A connection already given up (closed after a `connection: close` answer) fails nothing that follows it.
      if (this.socket !== socket) return;
      this.socket = undefined;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(
        error ?? Object.assign(new Error('the connection closed mid-answer'), { code: 'ECLOSED' }),
      );
    };
    socket.on('error', fail);
    socket.on('close', () => fail(undefined));
  }

  read(data) {
    let input = this.buffered === undefined ? data : Buffer.concat([this.buffered, data]);
    this.buffered = undefined;
    const pending = this.pending;
    if (pending === undefined) return; // bytes after an answer, on a connection about to close
    if (pending.head === undefined) {
      const end = input.indexOf(headerEnd);
      if (end === -1) {
        this.buffered = input;
        return;
      }
      const head = input.toString('latin1', 0, end);
      input = input.subarray(end + 4);
      const status = Number(head.slice(9, 12));
      const lower = head.toLowerCase();
      const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
      pending.head = head;
      pending.status = status;
      pending.chunked = length === null && /\r\ntransfer-encoding:[^\r]*chunked/.test(lower);
      pending.length = length === null ? -1 : Number(length[1]);
      pending.close = /\r\nconnection:\s*close/.test(lower);
    }
    if (!pending.chunked) {
      if (pending.length === -1) {
        this.socket.destroy(new Error(`an answer with neither content-length nor chunks: ${pending.head}`));
        return;
      }
      pending.chunks.push(input);
      pending.received = (pending.received ?? 0) + input.length;
      if (pending.received >= pending.length)
        this.finish(Buffer.concat(pending.chunks).subarray(0, pending.length));
      return;
    }
    // Chunked: size line, data, CRLF; a zero size (and its empty trailer) ends the body.
    while (true) {
      const lineEnd = input.indexOf(crlf);
      if (lineEnd === -1) break;
      const size = Number.parseInt(input.toString('latin1', 0, lineEnd), 16);
      if (!Number.isFinite(size)) {
        this.socket.destroy(new Error(`bad chunk size line: ${input.toString('latin1', 0, lineEnd)}`));
        return;
      }
      if (size === 0) {
        if (input.length < lineEnd + 4) break;
        this.finish(Buffer.concat(pending.chunks));
        return;
      }
      if (input.length < lineEnd + 2 + size + 2) break;
      pending.chunks.push(input.subarray(lineEnd + 2, lineEnd + 2 + size));
      input = input.subarray(lineEnd + 2 + size + 2);
    }
    if (input.length > 0) this.buffered = input;
  }

  finish(body) {
    const pending = this.pending;
    this.pending = undefined;
    if (pending.close) {
      this.socket.destroy();
      this.socket = undefined;
    }
    pending.resolve({ status: pending.status, body });
    this.onFree(this);
  }

  close() {
    this.socket?.end();
    this.socket = undefined;
  }
}

/**
 * Up to `connections` keep-alive connections to `origin` (http://host:port); `request(path, headers, body)`
 * waits for a free one when all are busy. `headers` is an object of header names to values.
 */
export function createClient(origin, { connections }) {
  const { hostname, port } = new URL(origin);
  const idle = [];
  const all = [];
  const waiting = [];
  const free = (connection) => {
    const next = waiting.shift();
    if (next === undefined) idle.push(connection);
    else next(connection);
  };
  const take = () => {
    const connection = idle.pop();
    if (connection !== undefined) return connection;
    if (all.length < connections) {
      const created = new Connection(hostname, Number(port), free);
      all.push(created);
      return created;
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const headOf = (path, headers, length) =>
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}content-length: ${length}\r\n\r\n`;
  return {
    async request(path, headers, body) {
      const payload = Buffer.from(body);
      const request = Buffer.concat([Buffer.from(headOf(path, headers, payload.length), 'latin1'), payload]);
      const connection = await take();
      try {
        return await connection.send(request);
      } catch (error) {
        free(connection);
        throw error;
      }
    },
    close() {
      for (const connection of all) connection.close();
    },
  };
}
