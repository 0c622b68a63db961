// Addresses the parent dialogs give. Pages of this project hang under PUBLIC_URL.
import type { ServiceContext } from '../../services/context.js';

export const TELESERVICES_URL = 'https://teleservices.education.gouv.fr';
export const FRANCECONNECT_FAQ_URL = 'https://franceconnect.gouv.fr/faq';

/** "Mon compte": the guardian's account page (email, children, regrouping). */
export const accountPageUrl = (ctx: ServiceContext): string => `${ctx.settings.publicUrl.replace(/\/+$/, '')}/mon-compte`;
