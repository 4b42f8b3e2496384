// The fake upstream for bench/gateway.bench.mjs: raw node:http on 127.0.0.1 port 0 that answers
// `POST /v1/chat/completions` at once (0 ms) with an OpenAI chat.completion of ~680 bytes, usage included; with
// `"stream": true` in the body it answers server-sent events instead (a role chunk, content chunks each written
// on its own, a finish chunk, a usage chunk, `data: [DONE]`). It checks `Authorization: Bearer <BENCH_UPSTREAM_KEY>`
// (default sk-bench) so a proxy that forgets to put the provider's key on the request shows up as 401s.
// `GET /stats` answers `{"served":N}`, the answers given so far, so the bench can tell that a proxy forwarded.
// Prints `{"port":N}` on stdout when listening; exits when its stdin closes (its parent went away).
//   node bench/gateway/upstream.mjs
import { createServer } from 'node:http';

const expected = `Bearer ${process.env.BENCH_UPSTREAM_KEY ?? 'sk-bench'}`;
const created = 1_763_800_000;
const model = 'gpt-4o-mini-2024-07-18';
const fingerprint = 'fp_560af6e559';
const answer =
  'Your order #48213 shipped on Tuesday with UPS and should arrive by Friday (tracking 1Z999AA10123456784).';
const usage = {
  prompt_tokens: 1_210,
  completion_tokens: 58,
  total_tokens: 1_268,
  prompt_tokens_details: { cached_tokens: 1_024, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};
let served = 0;
/** A fresh id of fixed width, so every answer has the same length. */
const nextId = () => `chatcmpl-bench${String(++served).padStart(12, '0')}`;

function completion() {
  return JSON.stringify({
    id: nextId(),
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
    service_tier: 'default',
    system_fingerprint: fingerprint,
  });
}

const pieces = answer.match(/.{1,24}(\s|$)/g) ?? [answer];
function events() {
  const id = nextId();
  const chunk = (delta, finish, extra = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
      ...extra,
    })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '', refusal: null }, null),
    ...pieces.map((piece) => chunk({ content: piece }, null)),
    chunk({}, 'stop'),
    chunk({}, null, { choices: [], usage }),
    'data: [DONE]\n\n',
  ];
}

const streamed = /"stream"\s*:\s*true/;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'GET' && request.url === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ served }));
      return;
    }
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not found","type":"invalid_request_error","code":null}}');
      return;
    }
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        '{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}',
      );
      return;
    }
    const headers = { 'x-request-id': `req_bench${served}`, 'openai-processing-ms': '0' };
    if (streamed.test(Buffer.concat(chunks).toString())) {
      response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8' });
      for (const event of events()) response.write(event);
      response.end();
      return;
    }
    const body = completion();
    response.writeHead(200, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, bytes: completion().length })}\n`);
  served = 0;
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
