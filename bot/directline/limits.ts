// Flood limits of the web chat: per conversation and per client address.
//
// Two layers. A token bucket in this process's memory absorbs bursts without touching the
// database (a flood must not take the pool from other users); behind it, counters in the
// database (RateLimitCounter, one-minute windows) hold the limit across every instance,
// counted by the statement that appends the activity (no round trip of their own). The
// buckets only ever refuse earlier than the shared counters: another instance never needs
// them, and losing them on a restart lets nobody through that the counters would stop.
import type { ServiceContext } from '../../services/context.js';
import { counterHits, type CounterHits } from '../../services/selfservice/ratelimit.js';

export interface ChatLimits {
  /** Activities a conversation may post per minute. */
  messagesPerMinute: number;
  /** Activities one client address may post per minute, all its conversations together. */
  messagesPerMinutePerAddress: number;
  /** Open websockets per client address on one instance. */
  socketsPerAddress: number;
  /** Websocket openings per client address and minute on one instance (reconnects after a network change are a few). */
  streamOpeningsPerMinutePerAddress: number;
  /** Any facade request per client address and minute, counted in this instance's memory only. */
  requestsPerMinutePerAddress: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  messagesPerMinute: 20,
  messagesPerMinutePerAddress: 60,
  socketsPerAddress: 20,
  streamOpeningsPerMinutePerAddress: 30,
  requestsPerMinutePerAddress: 600,
};

/** Largest burst a bucket lets through before it refills. */
const BURST = 10;
/** Buckets kept at most (full ones are dropped first: they hold no information). */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: `perMinute` tokens a minute, at most `capacity` at once, and never
 * less than one second's worth: the clock counts whole milliseconds, so with a high limit (an
 * address behind which many people chat) a small bucket refused the requests that arrived
 * within one millisecond beyond its capacity, far under the limit (the bench's 250
 * conversations from one address: 429s). With the default limits (at most 600 a minute) the
 * capacity is the one given.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(perMinute: number, capacity = Math.min(BURST, perMinute)) {
    this.capacity = Math.max(1, capacity, perMinute / 60);
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token: 0 when granted, else the seconds until one is available. */
  take(key: string, nowMs: number): number {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, nowMs - b.at) * this.perMs);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      if (this.buckets.size > MAX_BUCKETS) this.prune(nowMs);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  private prune(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (nowMs - b.at) * this.perMs >= this.capacity) this.buckets.delete(key);
    }
    // Still too many (a flood of distinct keys): forget the oldest.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_BUCKETS) break;
      this.buckets.delete(key);
    }
  }
}

export class ChatFloodGuard {
  private readonly perConversation: TokenBuckets;
  private readonly perAddress: TokenBuckets;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly limits: ChatLimits,
  ) {
    this.perConversation = new TokenBuckets(limits.messagesPerMinute);
    this.perAddress = new TokenBuckets(limits.messagesPerMinutePerAddress);
  }

  /** One activity posted by `address` in `conversationId`, in this instance's buckets: 0 when allowed, else the seconds to wait. */
  take(conversationId: string, address: string): number {
    const now = this.ctx.now().getTime();
    return Math.max(this.perConversation.take(conversationId, now), this.perAddress.take(address, now));
  }

  /** The shared counters (every instance) that the activity's append counts before it stores it (services/chat-store.ts). */
  counters(conversationId: string, address: string): CounterHits {
    return counterHits(
      this.ctx,
      'source',
      [
        { key: `chat-conversation:${conversationId}`, limit: this.limits.messagesPerMinute },
        { key: `chat-address:${address}`, limit: this.limits.messagesPerMinutePerAddress },
      ],
      1,
    );
  }

  /** Seconds until the shared counters' one-minute window ends. */
  retryAfterCounters(): number {
    return 60 - (Math.floor(this.ctx.now().getTime() / 1000) % 60);
  }
}

/** Open websockets per address on this instance (sockets are this instance's memory). */
export class SocketCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts a socket for `address`; false (and nothing counted) when it is at its cap. */
  acquire(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 1) - 1;
    if (n <= 0) this.open.delete(address);
    else this.open.set(address, n);
  }
}
