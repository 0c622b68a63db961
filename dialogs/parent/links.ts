// Addresses the parent dialogs give. Pages of this project hang under PUBLIC_URL.
import type { ServiceContext } from '../../services/context.js';
import { PAGES, publicLink } from '../../services/public-paths.js';

export const FRANCECONNECT_FAQ_URL = 'https://franceconnect.gouv.fr/faq';

/** "Mon compte": the guardian's account page (identifier, password, email, mobile, children). */
export const accountPageUrl = (ctx: ServiceContext): string => publicLink(ctx.settings, PAGES.account);
export const firstLoginUrl = (ctx: ServiceContext): string => publicLink(ctx.settings, PAGES.firstLogin);
export const lostPasswordUrl = (ctx: ServiceContext): string => publicLink(ctx.settings, PAGES.lostPassword);
export const registrationUrl = (ctx: ServiceContext): string => publicLink(ctx.settings, PAGES.registration);
export const activationEmailUrl = (ctx: ServiceContext): string => publicLink(ctx.settings, PAGES.activationEmail);
