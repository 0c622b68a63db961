// The privacy notice and the terms of use, linked from the Teams app manifest and the pages.
import { HELPDESK, helpdeskOf, hoursText } from '../../services/helpdesk/contact.js';
import type { HelpdeskHours } from '../../services/helpdesk/hours.js';
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { html, type SafeHtml } from './html.js';
import { sendHtml } from './http.js';
import { layout } from './layout.js';
import { page } from './handler.js';

export const PRIVACY_PATH = PAGES.privacy;
export const TERMS_PATH = PAGES.terms;

const privacy: SafeHtml = html`<p>L'assistance EduConnect vous aide à utiliser votre compte EduConnect. Cette page explique quelles données elle utilise et pourquoi.</p>
<h2>Données utilisées</h2>
<ul>
<li>Les données de votre compte EduConnect : identifiant, nom, prénom, adresse e-mail, numéro de portable, état du compte, enfants rattachés. Elles viennent des bases de scolarité de l'école ou de l'établissement.</li>
<li>Ce que vous écrivez dans la conversation, pour vous répondre et, si vous le demandez, pour transmettre votre demande à l'école ou à la plateforme d'assistance.</li>
<li>Un journal des opérations faites sur les comptes (qui, quoi, quand), pour la sécurité. Il ne contient jamais de mot de passe ni de code.</li>
</ul>
<h2>Ce que nous ne demandons jamais</h2>
<p>L'assistance ne vous demande jamais votre mot de passe, ni dans la conversation, ni par e-mail, ni par SMS. Les SMS envoyés ne contiennent jamais de lien.</p>
<h2>Cookies</h2>
<p>Seuls des cookies techniques sont utilisés, pour protéger les formulaires et garder votre session. Aucun cookie de mesure d'audience ou de publicité.</p>
<h2>Vos droits</h2>
<p>Vous pouvez demander l'accès à vos données, leur rectification ou leur effacement. Pour les données de scolarité, adressez-vous à l'école ou à l'établissement de votre enfant. Pour toute autre question, contactez la plateforme d'assistance au ${HELPDESK.phone}.</p>`;

const terms = (
  hours: HelpdeskHours,
): SafeHtml => html`<p>L'assistance EduConnect est un service du ministère chargé de l'éducation nationale, gratuit, pour les responsables d'élèves et les personnels des écoles et des établissements.</p>
<h2>Ce que fait l'assistance</h2>
<p>Elle vous guide pour retrouver votre identifiant, choisir un nouveau mot de passe, activer votre compte ou signaler une information à corriger. Les changements sur votre compte passent toujours par les pages sécurisées d'EduConnect ou par l'école.</p>
<h2>Vos engagements</h2>
<ul>
<li>Ne communiquez jamais votre mot de passe, même à quelqu'un qui se présente comme un agent.</li>
<li>N'utilisez le service que pour votre propre compte ou celui de vos enfants.</li>
</ul>
<h2>Disponibilité</h2>
<p>L'assistance en ligne est disponible à tout moment. La plateforme téléphonique (${HELPDESK.phone}) répond ${hoursText(hours)}.</p>`;

export function registerLegalPages(server: restify.Server, ctx: ServiceContext): void {
  server.get(
    PRIVACY_PATH,
    page(ctx, async (_req, res) => sendHtml(res, 200, layout({ title: 'Données personnelles et cookies', body: privacy }))),
  );
  server.get(
    TERMS_PATH,
    page(ctx, async (_req, res) => sendHtml(res, 200, layout({ title: "Conditions d'utilisation", body: terms(helpdeskOf(ctx.settings).hours) }))),
  );
}
