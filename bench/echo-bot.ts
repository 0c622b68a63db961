// The floor of a chat turn: an echo bot on the same stack as the real one (restify 11 with the
// same plugins, botbuilder's CloudAdapter without credentials, one reply through the
// connector), no state, no database. `npm run bench` starts it next to the real bot.
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`Echo : ${context.activity.text ?? ''}`);
  await next();
});

const server = restify.createServer({ name: 'echo-bot', handleUpgrades: false });
server.use(restify.plugins.queryParser({ mapParams: false }));
server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));
server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
  await adapter.process(req, res, async (turn) => {
    await bot.run(turn);
  });
});
server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
  res.send(200, { status: 'ok' });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
