/**
 * The baseline of scripts/bench-connect.ts: a bare Socket.IO relay with the same event names
 * and payloads as the portal, and nothing else (no authentication, no checks, no storage: the
 * last 1,000 messages of each room are kept in memory, for resyncs).
 * Usage: tsx scripts/bench/bare-relay.ts   (prints "listening <port>")
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 1_000_000 });
let seq = 0;
const recent = new Map<string, { seq: number }[]>();

io.on('connection', (socket) => {
  const rooms = String(socket.handshake.query['rooms'] ?? '')
    .split(',')
    .filter(Boolean);
  void socket.join(rooms);
  socket.on('message:send', (payload: { channel: string; clientId: string }, ack: (answer: unknown) => void) => {
    seq += 1;
    const message = { ...payload, seq, createdAt: new Date().toISOString() };
    const kept = recent.get(payload.channel) ?? [];
    kept.push(message);
    if (kept.length > 1_000) kept.shift();
    recent.set(payload.channel, kept);
    io.to(payload.channel).emit('message:new', message);
    ack({ data: { seq, duplicate: false } });
  });
  socket.on('channel:sync', (payload: { channel: string; afterSeq: number }, ack: (answer: unknown) => void) => {
    const messages = (recent.get(payload.channel) ?? []).filter((message) => message.seq > payload.afterSeq).slice(0, 500);
    ack({ data: { messages, hasMore: false } });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(httpServer.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
