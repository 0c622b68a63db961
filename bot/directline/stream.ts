// The websocket stream of the facade: pushes { activities, watermark } as they arrive.
// Direct Line 3.0 clients send no data on it (only empty keep-alives), so frames are tiny;
// a conversation has one socket (a newer one replaces it, on any instance); an address has
// a few; a socket closes itself when its conversation's token has expired.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServiceContext } from '../../services/context.js';
import { chatStreamStates, claimChatStream, listChatActivityTexts } from '../../services/chat-store.js';
import type { ChatNotifier } from './notifier.js';
import { signStream, verifyStream } from './signing.js';
import { TokenBuckets, SocketCounter } from './limits.js';
import { DIRECTLINE_BASE, HIDDEN_TYPES, pageJson, parseWatermark } from './protocol.js';
import { startPeriodic, type Periodic } from '../../services/periodic.js';

/** How long a stream URL may wait before the browser opens it. */
const STREAM_URL_TTL_MS = 2 * 60 * 1000;
/** How often this instance checks, in one query for all its sockets, that each is still its conversation's one and that the token lives. */
const STREAM_CHECK_MS = 5000;
/** Largest frame accepted from a browser (keep-alives are empty). */
export const STREAM_MAX_PAYLOAD = 4 * 1024;
/** Close codes (application range): replaced by a newer socket; token expired. */
export const CLOSE_REPLACED = 4001;
export const CLOSE_EXPIRED = 4002;
/** A socket's reads come from wake-ups (no polling); this only bounds the idle timer. */
const IDLE_MS = 2_147_483_647;

export interface StreamOptions {
  ctx: ServiceContext;
  secretKey: Buffer;
  publicUrl: string;
  notifier: ChatNotifier;
  socketsPerAddress: number;
  /** Socket openings per address and minute (CHAT_STREAM_OPENINGS_PER_MINUTE_PER_ADDRESS). */
  openingsPerMinute: number;
  clientAddress(req: IncomingMessage): string;
}

export class DirectLineStreams {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: STREAM_MAX_PAYLOAD });
  private readonly sockets = new Set<WebSocket>();
  /** This instance's socket of each conversation, with its stream id. */
  private readonly byConversation = new Map<string, { socket: WebSocket; streamId: string }>();
  private checker: Periodic | undefined;
  private readonly perAddress: SocketCounter;
  private readonly upgrades: TokenBuckets;
  private readonly streamPath = new RegExp(`^${DIRECTLINE_BASE}/conversations/([^/]+)/stream$`);
  private readonly wsBase: string;

  constructor(private readonly options: StreamOptions) {
    this.perAddress = new SocketCounter(options.socketsPerAddress);
    this.upgrades = new TokenBuckets(options.openingsPerMinute);
    this.wsBase = options.publicUrl.replace(/^http/, 'ws');
  }

  /** The URL a client opens the stream with (signed, short-lived). */
  url(conversationId: string, watermark: number): string {
    const t = signStream(this.options.secretKey, conversationId, new Date(this.options.ctx.now().getTime() + STREAM_URL_TTL_MS));
    const w = watermark > 0 ? `&watermark=${watermark}` : '';
    return `${this.wsBase}${DIRECTLINE_BASE}/conversations/${encodeURIComponent(conversationId)}/stream?t=${encodeURIComponent(t)}${w}`;
  }

  attach(server: restify.Server): void {
    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((err: unknown) => {
        this.options.ctx.log.warn({ err }, 'direct line stream: could not open');
        refuse(socket, '503 Service Unavailable');
      });
    });
  }

  close(): void {
    void this.checker?.stop();
    this.checker = undefined;
    for (const socket of this.sockets) socket.close(1001, 'server shutting down');
    this.wss.close();
  }

  /** One query for every open socket of this instance: closes the replaced and the expired ones. */
  private async check(): Promise<void> {
    if (this.byConversation.size === 0) return;
    const { ctx } = this.options;
    const states = await chatStreamStates(ctx, [...this.byConversation.keys()]);
    const now = ctx.now();
    for (const [conversationId, { socket, streamId }] of this.byConversation) {
      const state = states.get(conversationId);
      if (!state || state.expiresAt <= now) socket.close(CLOSE_EXPIRED, 'token expired');
      else if (state.streamId !== streamId) socket.close(CLOSE_REPLACED, 'replaced by a newer stream');
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { ctx } = this.options;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = this.streamPath.exec(url.pathname);
    if (!match?.[1]) return refuse(socket, '404 Not Found');
    const address = this.options.clientAddress(req);
    if (this.upgrades.take(address, ctx.now().getTime()) > 0) return refuse(socket, '429 Too Many Requests');
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1]);
    } catch {
      return refuse(socket, '404 Not Found');
    }
    if (!verifyStream(this.options.secretKey, conversationId, url.searchParams.get('t') ?? '', ctx.now())) return refuse(socket, '403 Forbidden');
    if (!this.perAddress.acquire(address)) return refuse(socket, '429 Too Many Requests');
    const streamId = randomBytes(12).toString('base64url');
    let claimed: boolean;
    try {
      // One statement: the conversation's token alive, and this socket its one stream.
      claimed = await claimChatStream(ctx, conversationId, streamId, ctx.now());
    } catch (err) {
      this.perAddress.release(address);
      throw err;
    }
    if (!claimed) {
      this.perAddress.release(address);
      return refuse(socket, '403 Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.open(ws, conversationId, streamId, address, parseWatermark(url.searchParams.get('watermark') ?? undefined)),
    );
  }

  private open(socket: WebSocket, conversationId: string, streamId: string, address: string, from: number): void {
    const { ctx, notifier } = this.options;
    this.sockets.add(socket);
    this.byConversation.get(conversationId)?.socket.close(CLOSE_REPLACED, 'replaced by a newer stream');
    this.byConversation.set(conversationId, { socket, streamId });
    this.checker ??= startPeriodic({ name: 'direct line stream check', intervalMs: STREAM_CHECK_MS, log: this.options.ctx.log }, () => this.check());
    let watermark = from;
    // Rounds never overlap, and a wake-up during a read runs one more: that read may have
    // started before the append committed (its empty page must not end the pumping). A round
    // that sent something reads again at once.
    const pump = startPeriodic({ name: 'direct line stream', intervalMs: IDLE_MS, log: ctx.log, immediate: true }, async () => {
      if (socket.readyState !== socket.OPEN) return false;
      try {
        const page = await listChatActivityTexts(ctx, conversationId, watermark, { hiddenTypes: HIDDEN_TYPES });
        if (!page || page.watermark === watermark) return false;
        watermark = page.watermark;
        if (page.texts.length && socket.readyState === socket.OPEN) socket.send(pageJson(page.texts, watermark));
        return true;
      } catch (err) {
        ctx.log.warn({ err, conversationId }, 'direct line stream: could not read activities');
        return false;
      }
    });
    // No polling: the instance's signal bus (one LISTEN connection, or one polled table on
    // PGlite) wakes the socket when any instance appends to its conversation, and wakes every
    // socket after the bus reconnects.
    const unsubscribe = notifier.subscribe(conversationId, () => pump.wake());
    // DirectLineJS sends empty messages as keep-alives; nothing else is expected.
    socket.on('message', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      unsubscribe();
      void pump.stop();
      this.sockets.delete(socket);
      if (this.byConversation.get(conversationId)?.socket === socket) this.byConversation.delete(conversationId);
      this.perAddress.release(address);
    });
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
