// "Mon mail d'activation est parti à une mauvaise adresse": identifier + the password chosen at
// the first login + the right address (twice) -> a new activation mail, without the school.
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { correctActivationEmail } from '../../services/selfservice/activation-email.js';
import { html } from './html.js';
import { anonymousActor, csrf, field, redirect, sendHtml } from './http.js';
import { form, input, layout, messagePage, type FieldError } from './layout.js';
import { page } from './handler.js';

export function registerActivationEmailPages(server: restify.Server, ctx: ServiceContext): void {
  const show = (
    req: restify.Request,
    res: restify.Response,
    values: { identifier?: string; email?: string } = {},
    errors: FieldError[] = [],
    status = 400,
  ): void => {
    const c = csrf(ctx, req);
    const body = html`<p>Vous avez fait votre première connexion mais l'e-mail d'activation est parti à une mauvaise adresse ? Indiquez la bonne : un nouvel e-mail d'activation y sera envoyé et l'ancien lien ne fonctionnera plus.</p>
${form(
  PAGES.activationEmail,
  c.field,
  html`${input({ name: 'identifier', label: 'Identifiant', autocomplete: 'username', value: values.identifier, errors, spellcheck: false, maxlength: 100 })}
${input({ name: 'password', label: 'Mot de passe', hint: 'Celui que vous avez choisi lors de la première connexion.', type: 'password', autocomplete: 'current-password', errors, maxlength: 128 })}
${input({ name: 'email', label: 'Bonne adresse e-mail', type: 'email', autocomplete: 'email', value: values.email, errors, maxlength: 254, spellcheck: false })}
${input({ name: 'emailConfirmation', label: 'Confirmez la bonne adresse e-mail', type: 'email', autocomplete: 'email', errors, maxlength: 254, spellcheck: false })}`,
  'Recevoir un nouvel e-mail d’activation',
)}`;
    sendHtml(res, errors.length ? status : 200, layout({ title: 'Corriger l’adresse de l’e-mail d’activation', body, errors }), c.cookies);
  };

  server.get(
    PAGES.activationEmail,
    page(ctx, async (req, res) => show(req, res)),
  );

  server.post(
    PAGES.activationEmail,
    page(
      ctx,
      async (req, res) => {
        const values = { identifier: field(req, 'identifier'), email: field(req, 'email') };
        const r = await correctActivationEmail(ctx, anonymousActor(req), {
          ...values,
          password: field(req, 'password'),
          emailConfirmation: field(req, 'emailConfirmation'),
        });
        if (!r.ok) return show(req, res, values, [{ field: r.field, messages: [r.text] }], r.rateLimited ? 429 : 400);
        redirect(res, PAGES.activationEmailSent);
      },
      { once: true },
    ),
  );

  server.get(
    PAGES.activationEmailSent,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage(
          'Nouvel e-mail d’activation envoyé',
          "Un nouvel e-mail d'activation vient d'être envoyé à l'adresse indiquée. Cliquez sur le lien qu'il contient pour activer votre compte. Pensez à regarder dans vos courriers indésirables.",
          'success',
        ),
      );
    }),
  );
}
