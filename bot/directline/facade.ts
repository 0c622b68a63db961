// A Direct Line 3.0-compatible facade for the official Web Chat (DirectLineJS), without
// Azure: tokens, conversations, activities (polling and websocket) stored in the database,
// and an internal Bot Connector endpoint that receives the bot's replies. Three parts:
// routes.ts (HTTP, flood limits), stream.ts (websocket), bridge.ts (the bot's side).
//   WS   /v3/directline/conversations/:id/stream?t=…&watermark=N
//   POST /v3/directline/_connector/<secret>/v3/conversations/:id/activities[/:replyTo]
//        (loopback only: the bot's proactive messages; replies within a turn are stored directly)
import type restify from 'restify';
import type { ActivityHandler } from 'botbuilder';
import type { AppConfig } from '../config.js';
import type { ServiceContext } from '../../services/context.js';
import type { BotAdapter, TurnTracker } from '../adapter.js';
import type { SignalBus } from '../../services/signals.js';
import { BotBridge } from './bridge.js';
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from './limits.js';
import { clientAddress, errorHandling, registerRoutes } from './routes.js';
import { connectorSecret } from './signing.js';
import { DirectLineStreams } from './stream.js';

export { BOT_ACCOUNT, DIRECTLINE_BASE, botActivityJson } from './protocol.js';

export interface DirectLineOptions {
  config: Pick<AppConfig, 'production' | 'publicUrl' | 'secretKey'> & { chat?: ChatLimits };
  ctx: ServiceContext;
  bot: ActivityHandler;
  adapter: BotAdapter;
  tracker: TurnTracker;
  /** The base URL this instance is reachable at on the loopback interface (for the bot's replies). */
  loopbackUrl(): string;
  /** Cross-instance signals: sockets of every instance are pushed at once. */
  signals?: SignalBus;
}

export interface DirectLineFacade {
  /** Closes the open websockets (shutdown). */
  close(): void;
}

export function registerDirectLine(server: restify.Server, options: DirectLineOptions): DirectLineFacade {
  const { ctx, config } = options;
  const limits = config.chat ?? DEFAULT_CHAT_LIMITS;
  const bridge = new BotBridge({ ...options, secret: connectorSecret(config.secretKey) });
  const streams = new DirectLineStreams({
    ctx,
    secretKey: config.secretKey,
    publicUrl: config.publicUrl,
    notifier: bridge.notifier,
    socketsPerAddress: limits.socketsPerAddress,
    openingsPerMinute: limits.streamOpeningsPerMinutePerAddress,
    clientAddress,
  });
  registerRoutes(server, { config, ctx, bridge, streams, limits });
  bridge.registerConnector(server, errorHandling(ctx));
  streams.attach(server);
  return { close: () => streams.close() };
}
