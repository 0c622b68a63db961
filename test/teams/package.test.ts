import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 as zlibCrc32, inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage, TeamsPackageError } from '../../teams/build.js';
import { colorIcon, outlineIcon } from '../../teams/make-icons.js';
import { validateManifest } from '../../teams/schema.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const PUBLIC_URL = 'https://assistance.educonnect.example.fr';
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The entries of a zip file, read from its central directory (independent of the writer). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(localAt)).toBe(0x04034b50);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(zlibCrc32(data)).toBe(crc);
    entries.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

interface Command {
  title: string;
  description: string;
}

/** The parts of the manifest the tests read. */
interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: Record<string, string>;
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: Record<string, string>;
  accentColor: string;
  staticTabs: Record<string, unknown>[];
  bots: { botId: string; scopes: string[]; supportsFiles: boolean; isNotificationOnly: boolean; commandLists: { scopes: string[]; commands: Command[] }[] }[];
  validDomains: string[];
  webApplicationInfo: { id: string };
  authorization?: { permissions: { resourceSpecific: { name: string; type: string }[] } };
}

function manifestOf(entries: Map<string, Buffer>): Manifest {
  const parsed: Manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? '{}');
  return parsed;
}

interface Png {
  width: number;
  height: number;
  colorType: number;
  /** RGBA of the pixel (x, y); only for 8-bit RGBA images without row filters. */
  pixel: (x: number, y: number) => number[];
}

function readPng(file: Buffer): Png {
  expect(file.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(file.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  const colorType = file[25] ?? -1;
  const idat: Buffer[] = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at);
    const type = file.subarray(at + 4, at + 8).toString('ascii');
    expect(zlibCrc32(file.subarray(at + 4, at + 8 + length))).toBe(file.readUInt32BE(at + 8 + length));
    if (type === 'IDAT') idat.push(file.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  return {
    width,
    height,
    colorType,
    pixel: (x, y) => {
      expect(rows[y * stride]).toBe(0);
      const at = y * stride + 1 + x * 4;
      return [...rows.subarray(at, at + 4)];
    },
  };
}

describe('Teams app package', () => {
  let dir: string;
  let entries: Map<string, Buffer>;
  let warnings: string[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'teams-package-'));
    warnings = [];
    const { output } = buildTeamsPackage({
      env: { MicrosoftAppId: APP_ID, PUBLIC_URL: `${PUBLIC_URL}/` },
      output: path.join(dir, 'educonnect-teams.zip'),
      warn: (message) => warnings.push(message),
    });
    entries = unzip(readFileSync(output));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds exactly manifest.json, color.png and outline.png at the root', () => {
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(warnings).toEqual([]);
  });

  it('has a v1.17 manifest with the app id and public address filled in', () => {
    const text = entries.get('manifest.json')?.toString('utf8') ?? '';
    expect(text).not.toContain('${');
    const manifest = manifestOf(entries);
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.17');
    expect(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).toContain(`"version": "${manifest.version}"`);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.developer).toEqual({
      name: 'Assistance EduConnect',
      websiteUrl: `${PUBLIC_URL}/`,
      privacyUrl: `${PUBLIC_URL}/confidentialite`,
      termsOfUseUrl: `${PUBLIC_URL}/conditions-utilisation`,
    });
    expect(manifest.name.short).toBe('Assistance EduConnect');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeGreaterThan(0);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeGreaterThan(manifest.description.short.length);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.accentColor).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(manifest.validDomains).toEqual(['assistance.educonnect.example.fr']);
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://assistance.educonnect.example.fr/${APP_ID}` });
  });

  it('adds the dashboard as a personal tab beside the chat', () => {
    expect(manifestOf(entries).staticTabs).toEqual([
      { entityId: 'dashboard', name: 'Tableau de bord', contentUrl: `${PUBLIC_URL}/tab/`, websiteUrl: `${PUBLIC_URL}/tab/`, scopes: ['personal'] },
      { entityId: 'conversations', scopes: ['personal'] },
    ]);
  });

  it('passes the official v1.17 manifest schema, which catches a broken manifest', () => {
    const manifest = manifestOf(entries);
    expect(validateManifest(manifest)).toEqual([]);
    const broken = { ...manifest, accentColor: 'blue', staticTabs: [{ name: 'Sans identifiant' }], unknownField: true };
    const problems = validateManifest(broken);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('/accentColor'), expect.stringContaining('entityId'), expect.stringContaining('unknownField')]),
    );
  });

  it("asks the team's consent to read its channel messages (agents answer parents in threads without @mention)", () => {
    expect(manifestOf(entries).authorization?.permissions.resourceSpecific).toEqual([{ name: 'ChannelMessage.Read.Group', type: 'Application' }]);
  });

  it('declares one personal and team bot, with files, and French command lists', () => {
    const manifest = manifestOf(entries);
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0];
    if (!bot) throw new Error('no bot in the manifest');
    expect(bot.botId).toBe(APP_ID);
    expect(bot.scopes).toEqual(['personal', 'team']);
    // Files reach a personal chat as file consent cards (dialogs/staff/file-offer.ts): Teams
    // sends them, and delivers the accept/decline invokes, only when the bot supports files.
    expect(bot.supportsFiles).toBe(true);
    expect(bot.isNotificationOnly).toBe(false);
    const lists = bot.commandLists;
    expect(lists.map((l) => l.scopes)).toEqual([['personal'], ['team']]);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(command.title.length).toBeGreaterThan(0);
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length).toBeGreaterThan(0);
        expect(command.description.length).toBeLessThanOrEqual(128);
      }
      expect(list.commands.map((c) => c.title)).toEqual(
        expect.arrayContaining([
          'statistiques',
          'notifier des comptes',
          'réinitialiser un mot de passe',
          "renvoyer l'e-mail d'activation",
          'liste des comptes',
          'rechercher un compte',
          'demandes des parents',
        ]),
      );
    }
  });

  it('has a 192×192 colour icon on #000091 with a white glyph', () => {
    const png = readPng(entries.get('color.png') ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(png.pixel(0, 0)).toEqual([0x00, 0x00, 0x91, 255]);
    expect(png.pixel(191, 191)).toEqual([0x00, 0x00, 0x91, 255]);
    expect(png.pixel(38, 96)).toEqual([255, 255, 255, 255]); // the stem of the E
  });

  it('has a 32×32 outline icon, white on transparent', () => {
    const png = readPng(entries.get('outline.png') ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colorType).toBe(6);
    expect(png.pixel(0, 0)[3]).toBe(0);
    expect(png.pixel(6, 16)).toEqual([255, 255, 255, 255]); // the stem of the E
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) expect(png.pixel(x, y).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('ships the committed icons, which the generator reproduces', () => {
    expect(entries.get('color.png')).toEqual(readFileSync(path.join(ROOT, 'teams', 'color.png')));
    expect(entries.get('outline.png')).toEqual(readFileSync(path.join(ROOT, 'teams', 'outline.png')));
    expect(colorIcon()).toEqual(entries.get('color.png'));
    expect(outlineIcon()).toEqual(entries.get('outline.png'));
  });

  it('refuses a missing or invalid app id and a non-https address', () => {
    const build = (env: Record<string, string>) => () => buildTeamsPackage({ env, output: path.join(dir, 'refused.zip'), warn: () => undefined });
    expect(build({ PUBLIC_URL })).toThrow(/MicrosoftAppId manque/);
    expect(build({ MicrosoftAppId: 'mon-bot', PUBLIC_URL })).toThrow(/MicrosoftAppId n'est pas un GUID valide/);
    expect(build({ MicrosoftAppId: APP_ID })).toThrow(/PUBLIC_URL manque/);
    expect(build({ MicrosoftAppId: APP_ID, PUBLIC_URL: 'http://assistance.example.fr' })).toThrow(/PUBLIC_URL doit commencer par https/);
    expect(build({ MicrosoftAppId: APP_ID, PUBLIC_URL: 'assistance.example.fr' })).toThrow(TeamsPackageError);
  });

  it('accepts http://localhost with a warning', () => {
    const seen: string[] = [];
    const { manifest } = buildTeamsPackage({
      env: { MicrosoftAppId: APP_ID, PUBLIC_URL: 'http://localhost:3978' },
      output: path.join(dir, 'local.zip'),
      warn: (message) => seen.push(message),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/http locale/);
    expect(manifest).toMatchObject({ validDomains: ['localhost'], developer: { websiteUrl: 'http://localhost:3978/' } });
  });

  it('npm run teams:package stops with a clear message and exit code 1 without an app id', () => {
    const env = { ...process.env, MicrosoftAppId: '', PUBLIC_URL };
    const failure = spawnSync('npm', ['run', '--silent', 'teams:package', '--', path.join(dir, 'cli.zip')], { cwd: ROOT, env, encoding: 'utf8' });
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain('Erreur : MicrosoftAppId manque');
  });
});
