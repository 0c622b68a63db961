// Lost identifier page: by the confirmed email, or by SMS to the confirmed mobile.
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { recoverIdentifier } from '../../services/selfservice/identifier.js';
import { texts } from '../../services/selfservice/uniform.js';
import { ServiceError } from '../../services/errors.js';
import { html } from './html.js';
import { anonymousActor, csrf, field, redirect, sendHtml } from './http.js';
import { form, input, layout, messagePage, radios, type FieldError } from './layout.js';
import { page } from './handler.js';

export function registerIdentifierPages(server: restify.Server, ctx: ServiceContext): void {
  const show = (req: restify.Request, res: restify.Response, values: { channel?: string; contact?: string }, errors: FieldError[] = []): void => {
    const c = csrf(ctx, req);
    const body = html`<p>Votre identifiant est envoyé uniquement à l'adresse e-mail ou au numéro de portable de votre compte EduConnect. Si vous ne les connaissez plus, adressez-vous à l'école ou à l'établissement de votre enfant.</p>
${form(
  PAGES.lostIdentifier,
  c.field,
  html`${radios({
    name: 'channel',
    legend: 'Où souhaitez-vous recevoir votre identifiant ?',
    value: values.channel,
    errors,
    options: [
      { value: 'email', label: 'Par e-mail' },
      { value: 'sms', label: 'Par SMS' },
    ],
  })}
${input({ name: 'contact', label: 'Adresse e-mail ou numéro de portable', hint: 'Par exemple : prenom.nom@exemple.fr ou 06 12 34 56 78 (hors métropole, indiquez l’indicatif, par exemple +262).', autocomplete: 'username', value: values.contact, errors, maxlength: 254, spellcheck: false })}`,
  'Recevoir mon identifiant',
)}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Identifiant perdu', body, errors }), c.cookies);
  };

  server.get(
    PAGES.lostIdentifier,
    page(ctx, async (req, res) => show(req, res, {})),
  );

  server.post(
    PAGES.lostIdentifier,
    page(
      ctx,
      async (req, res) => {
        const channel = field(req, 'channel') === 'sms' ? 'sms' : 'email';
        const contact = field(req, 'contact');
        try {
          const r = await recoverIdentifier(ctx, anonymousActor(req), channel, contact);
          if (r.status === 'rate_limited') return sendHtml(res, 429, messagePage('Trop de demandes', r.text));
          redirect(res, `${PAGES.lostIdentifierSent}?canal=${channel}`);
        } catch (err) {
          if (err instanceof ServiceError && err.code === 'invalid')
            return show(req, res, { channel, contact }, [{ field: 'contact', messages: [err.userMessage] }]);
          throw err;
        }
      },
      { once: true },
    ),
  );

  server.get(
    PAGES.lostIdentifierSent,
    page(ctx, async (req, res) => {
      const sms = new URL(req.url ?? '/', 'http://x').searchParams.get('canal') === 'sms';
      sendHtml(res, 200, messagePage(sms ? 'Vérifiez votre téléphone' : 'Vérifiez vos e-mails', sms ? texts.identifierBySms() : texts.identifierByEmail()));
    }),
  );
}
