// A recording WebSocket proxy: listens on 127.0.0.1 (port 0), forwards every connection (same path, query and
// auth headers) to the emulator, and writes each client → server JSON message to a dump folder, so the
// official SDK's wire format can be compared with ours. Audio payloads are kept only once per kind.
import { WebSocketServer, WebSocket } from 'ws';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function startWireProxy(upstreamOrigin, dumpDir, label) {
  mkdirSync(dumpDir, { recursive: true });
  const seen = new Set();
  let sequence = 0;
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const connections = [];
  server.on('connection', (client, request) => {
    const headers = {};
    for (const name of ['authorization', 'x-goog-api-key', 'x-goog-api-client', 'user-agent']) {
      if (request.headers[name]) headers[name] = request.headers[name];
    }
    const upstream = new WebSocket(upstreamOrigin + request.url, { headers });
    connections.push({ path: request.url.replace(/key=[^&]*/, 'key=REDACTED'), headers: Object.keys(headers) });
    const pending = [];
    upstream.on('open', () => { for (const [data, binary] of pending) upstream.send(data, { binary }); pending.length = 0; });
    client.on('message', (data, binary) => {
      record(data.toString());
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary }); else pending.push([data, binary]);
    });
    upstream.on('message', (data, binary) => client.send(data, { binary }));
    upstream.on('close', (code, reason) => client.close(code === 1005 || code === 1006 ? 1000 : code, reason));
    client.on('close', (code, reason) => upstream.readyState <= WebSocket.OPEN && upstream.close(code === 1005 ? 1000 : code, reason));
    upstream.on('error', () => client.terminate());
  });

  function record(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    // Tool-call ids are random per run; a stable stand-in keeps the committed dump unchanged between runs.
    for (const response of message.toolResponse?.functionResponses ?? []) {
      if (response.id) response.id = 'function-call-1';
    }
    const kind = describe(message);
    if (seen.has(kind) && kind.endsWith('audio')) return;
    seen.add(kind);
    sequence += 1;
    writeFileSync(join(dumpDir, `${label}-${String(sequence).padStart(2, '0')}-${kind}.json`), JSON.stringify(message, null, 2) + '\n');
  }

  function describe(message) {
    const top = Object.keys(message)[0] ?? 'empty';
    if (top === 'realtimeInput') return `realtimeInput-${Object.keys(message.realtimeInput)[0]}`;
    return top;
  }

  return new Promise((resolve) => server.on('listening', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    connections,
    close: () => new Promise((done) => server.close(done)),
  })));
}
