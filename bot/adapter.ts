// The Bot Framework adapter (CloudAdapter), its error handler, and the bookkeeping of
// in-flight turns for a graceful shutdown.
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  CallerIdConstants,
  StatusCodes,
  type Activity,
  type ConversationState,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';
import {
  AuthenticationConstants,
  AuthenticationError,
  ClaimsIdentity,
  ConnectorClient,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { AppConfig } from './config.js';
import type { Logger } from '../services/logger.js';

export const TURN_ERROR_MESSAGE =
  "Désolé, un problème technique m'empêche de répondre. Vous pouvez reformuler votre demande ou réessayer dans quelques instants.";

/**
 * Turn-state key of the client's network address, set only by our own Direct Line facade
 * (from the socket, in process): per-address limits of the chat. Absent on other channels.
 */
export const CLIENT_ADDRESS_KEY = Symbol('educonnect.clientAddress');

/** Remembers the turns under way so that shutdown can wait for them. */
export class TurnTracker {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = (): void => {
      this.running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every tracked turn has ended, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
      await Promise.race([Promise.allSettled([...this.running]), timeout]);
      clearTimeout(timer);
    }
  }
}

/** The bot's app id an inbound identity speaks to (as botframework-connector reads it: audience, else appid claim). */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** jsonwebtoken's errors (bad algorithm, bad signature, not yet valid, malformed): the caller is not authenticated. */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The configured Bot Framework authentication, except that a token the connector cannot
 * validate is always a 401: jsonwebtoken's own errors (alg "none", HS256 against an RSA key,
 * "nbf" in the future) escape the connector as plain errors, which CloudAdapter answers 500.
 */
class StrictAuthentication extends ConfigurationBotFrameworkAuthentication {
  /** One user token client per app id, kept: building one (its HTTP pipeline) cost ~0.3 ms of CPU per turn. */
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  /**
   * One connector client per app id, service URL and audience, kept: CloudAdapter asks the
   * connector factory for a new one (its HTTP pipeline) on every activity, ~0.3 ms of CPU per
   * turn in the chat bench's profile. The client's credentials renew their own token.
   */
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = appIdOf(identity);
    let client = this.userTokenClients.get(appId);
    if (!client) {
      if (this.userTokenClients.size >= 100) this.userTokenClients.clear();
      client = super.createUserTokenClient(identity);
      this.userTokenClients.set(appId, client);
      client.catch(() => this.userTokenClients.delete(appId));
    }
    return client;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && JWT_ERRORS.has(err.name)) throw new AuthenticationError(`Unauthorized: ${err.message}`, StatusCodes.UNAUTHORIZED);
      throw err;
    }
    return result.connectorFactory ? { ...result, connectorFactory: this.reusing(result.claimsIdentity, result.connectorFactory) } : result;
  }

  override createConnectorFactory(identity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(identity, super.createConnectorFactory(identity));
  }

  /** `factory`, whose clients are kept per service URL and audience for the identity's app id. */
  private reusing(identity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(identity);
    return {
      create: (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
        const key = `${appId}\n${serviceUrl}\n${audience ?? ''}`;
        let client = this.connectorClients.get(key);
        if (!client) {
          if (this.connectorClients.size >= 100) this.connectorClients.clear();
          client = factory.create(serviceUrl, audience);
          this.connectorClients.set(key, client);
          client.catch(() => this.connectorClients.delete(key));
        }
        return client;
      },
    };
  }
}

/**
 * CloudAdapter with an HTTP entry point that checks the request as CloudAdapter.process does
 * (same answers: 405, 400, 401, 500, the invoke response) without building zod schemas on every
 * request: 1.8 % of the bot's CPU in the chat bench's profile (~0.04 ms a turn).
 */
export class HttpCloudAdapter extends CloudAdapter {
  constructor(
    auth: ConstructorParameters<typeof CloudAdapter>[0],
    private readonly log: Logger,
  ) {
    super(auth);
  }

  /** CloudAdapter.process(req, res, logic) of an HTTP request whose body a middleware parsed. */
  async processRequest(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const end = (status: number, body?: unknown): void => {
      res.status(status);
      if (body) res.send(body);
      res.end();
    };
    if (req.method !== 'POST') return end(StatusCodes.METHOD_NOT_ALLOWED);
    if (!isObject(req.body)) {
      return end(StatusCodes.BAD_REQUEST, '`req.body` not an object, make sure you are using middleware to parse incoming requests.');
    }
    const activity = validateAndFixActivity(req.body as Partial<Activity> as Activity);
    if (!activity.type) {
      this.log.warn('request refused: an activity without a type');
      return end(StatusCodes.BAD_REQUEST);
    }
    const authHeader: unknown = req.headers.Authorization ?? req.headers.authorization ?? '';
    if (typeof authHeader !== 'string') throw new TypeError('Expected the Authorization header as a string');
    try {
      const invokeResponse = await this.processActivity(authHeader, activity, logic);
      return end(invokeResponse?.status ?? StatusCodes.OK, invokeResponse?.body);
    } catch (err) {
      this.log.error({ err }, 'request failed');
      const message: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, 'message') : undefined;
      return end(err instanceof AuthenticationError ? StatusCodes.UNAUTHORIZED : StatusCodes.INTERNAL_SERVER_ERROR, message ?? err);
    }
  }
}

/** What zod's record schema accepts, as CloudAdapter checks a request's body: an object, not an array, date, map, set or thenable. */
function isObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof Map || value instanceof Set) return false;
  return !(typeof Reflect.get(value, 'then') === 'function' && typeof Reflect.get(value, 'catch') === 'function');
}

export interface BotAdapter {
  adapter: HttpCloudAdapter;
  /**
   * Authentication result for activities our own Direct Line facade hands to the bot: they
   * did not come through the Bot Connector, so they carry no JWT; the bot's replies go to
   * the facade's internal connector without credentials.
   */
  directLineAuthentication(): AuthenticateRequestResult;
}

export function createAdapter(config: AppConfig, log: Logger, conversationState: ConversationState): BotAdapter {
  const credentials = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  const credentialsFactory = new ConfigurationServiceClientCredentialFactory(credentials);
  const auth = new StrictAuthentication(
    {
      MicrosoftAppId: config.bot.appId,
      MicrosoftAppTenantId: config.bot.tenantId,
      // Another key announcement: every public-cloud setting given with it (the connector takes all or none).
      ...(config.bot.openIdMetadataUrl
        ? {
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl,
            ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
            CallerId: CallerIdConstants.PublicAzureChannel,
          }
        : {}),
    },
    credentialsFactory,
  );
  const adapter = new HttpCloudAdapter(auth, log);

  adapter.onTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    const activity = context.activity;
    log.error(
      {
        err: { name: error.name, message: error.message, stack: error.stack },
        conversationId: activity.conversation?.id,
        channelId: activity.channelId,
        activityType: activity.type,
      },
      'unhandled error in a bot turn',
    );
    try {
      await context.sendActivity(TURN_ERROR_MESSAGE);
    } catch (sendError) {
      log.error({ err: sendError, conversationId: activity.conversation?.id }, 'could not send the error message');
    }
    try {
      // Start afresh: a dialog stuck in a broken step must not trap the user.
      await conversationState.delete(context);
    } catch (deleteError) {
      log.error({ err: deleteError, conversationId: activity.conversation?.id }, 'could not clear the conversation state');
    }
  };

  const appId = config.bot.appId ?? '';
  // One client per facade URL, kept: building one (its HTTP pipeline) cost ~0.3 ms of CPU per web chat turn.
  const directLineClients = new Map<string, ConnectorClient>();
  const directLineClient = (serviceUrl: string): ConnectorClient => {
    let client = directLineClients.get(serviceUrl);
    if (!client) {
      client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: serviceUrl });
      directLineClients.set(serviceUrl, client);
    }
    return client;
  };
  return {
    adapter,
    directLineAuthentication: () => ({
      claimsIdentity: new ClaimsIdentity(
        [
          { type: AuthenticationConstants.AudienceClaim, value: appId },
          { type: AuthenticationConstants.AppIdClaim, value: appId },
        ],
        true,
      ),
      callerId: undefined,
      audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
      connectorFactory: {
        create: async (serviceUrl: string) => directLineClient(serviceUrl),
      },
    }),
  };
}
