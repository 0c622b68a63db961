// Builds the Teams app package: manifest.json (from manifest.template.json, placeholders filled
// from the environment), color.png and outline.png, zipped at the archive root.
// Run: MicrosoftAppId=<GUID> PUBLIC_URL=https://… npm run teams:package [-- <output.zip>]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipArchive } from './zip.js';
import { validateManifest } from './schema.js';

const TEAMS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTPUT = path.join(TEAMS_DIR, '..', 'dist', 'teams', 'educonnect-teams.zip');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A configuration error; `message` is meant for the person running the build. */
export class TeamsPackageError extends Error {}

export interface TeamsPackageOptions {
  /** Reads MicrosoftAppId and PUBLIC_URL. */
  env: Readonly<Record<string, string | undefined>>;
  /** The zip file to write (its folder is created). Default: dist/teams/educonnect-teams.zip. */
  output?: string;
  /** Receives non-fatal warnings (default: stderr). */
  warn?: (message: string) => void;
}

export interface TeamsPackage {
  output: string;
  manifest: unknown;
}

/** The values the template's `${NAME}` placeholders take, checked; throws TeamsPackageError. */
export function manifestValues(env: Readonly<Record<string, string | undefined>>, warn: (message: string) => void): Record<string, string> {
  const appId = env.MicrosoftAppId?.trim();
  if (!appId) throw new TeamsPackageError("MicrosoftAppId manque : indiquez l'identifiant d'application (GUID) du bot Azure.");
  if (!GUID.test(appId)) {
    throw new TeamsPackageError(`MicrosoftAppId n'est pas un GUID valide (attendu : xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) : « ${appId} ».`);
  }
  const rawUrl = env.PUBLIC_URL?.trim();
  if (!rawUrl) throw new TeamsPackageError("PUBLIC_URL manque : indiquez l'adresse publique https du bot (ex. https://assistance.example.fr).");
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TeamsPackageError(`PUBLIC_URL n'est pas une adresse valide : « ${rawUrl} ».`);
  }
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) {
    warn(`Attention : PUBLIC_URL (${rawUrl}) est une adresse http locale ; Teams attend des adresses https, ce paquet ne sert qu'aux essais.`);
  } else if (url.protocol !== 'https:') {
    throw new TeamsPackageError(`PUBLIC_URL doit commencer par https:// (seul http://localhost est toléré, pour les essais) : « ${rawUrl} ».`);
  }
  if (url.search || url.hash) throw new TeamsPackageError(`PUBLIC_URL ne doit contenir ni paramètres ni ancre : « ${rawUrl} ».`);
  const pkg: unknown = JSON.parse(readFileSync(path.join(TEAMS_DIR, '..', 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : undefined;
  if (!version) throw new TeamsPackageError('package.json ne donne pas de version.');
  return {
    MicrosoftAppId: appId.toLowerCase(),
    PUBLIC_URL: `${url.origin}${url.pathname}`.replace(/\/+$/, ''),
    PUBLIC_HOST: url.hostname,
    // Host and port: the tab's SSO resource, as the server's expected audience (bot/config.ts).
    PUBLIC_AUTHORITY: url.host,
    APP_VERSION: version,
  };
}

/** `template` with every `${NAME}` inside its strings replaced by `values[NAME]` (unknown name: error). */
export function fillTemplate(template: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof template === 'string') {
    return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new TeamsPackageError(`Le modèle de manifeste utilise une variable inconnue : \${${name}}.`);
      return value;
    });
  }
  if (Array.isArray(template)) return template.map((item: unknown) => fillTemplate(item, values));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, value]: [string, unknown]) => [key, fillTemplate(value, values)]));
  }
  return template;
}

/** Writes the app package; throws TeamsPackageError when the environment is not usable. */
export function buildTeamsPackage(options: TeamsPackageOptions): TeamsPackage {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const values = manifestValues(options.env, warn);
  const template: unknown = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'manifest.template.json'), 'utf8'));
  const manifest = fillTemplate(template, values);
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new TeamsPackageError(`Le manifeste ne respecte pas le schéma Teams :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const output = path.resolve(options.output ?? DEFAULT_OUTPUT);
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(
    output,
    zipArchive([
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') },
      { name: 'color.png', data: readFileSync(path.join(TEAMS_DIR, 'color.png')) },
      { name: 'outline.png', data: readFileSync(path.join(TEAMS_DIR, 'outline.png')) },
    ]),
  );
  return { output, manifest };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { output } = buildTeamsPackage({ env: process.env, output: process.argv[2] });
    console.log(`Paquet Teams écrit : ${output}`);
    console.log("Téléversez-le dans Teams (Applications > Gérer vos applications > Charger une application) ou dans le centre d'administration Teams.");
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    console.error(`Erreur : ${error.message}`);
    process.exitCode = 1;
  }
}
