// One wording for what users read: "adresse e-mail" (and "e-mail" for the message), never
// "courriel", "mail", "adresse électronique", nor the "confirmé(e) sur votre compte" jargon;
// "Établissement" with its accent. Scans every string literal of the user-facing code (cards,
// dialogs, service replies, mail templates, pages, Teams) with the TypeScript parser, the
// chat page's HTML and script, and the rendered pages and mail templates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../services/delivery/templates.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';
import { renderChatPage } from '../../web/chat/page.js';
import { renderOutboxPage } from '../../web/dev/outbox.js';
import { testSettings } from '../helpers/context.js';
import { letter } from '../fixtures/delivery/letters.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['bot', 'cards', 'dialogs', 'services', 'web', 'teams'];
/** What users type, not what they read (the recognizer's corpus, request words). */
const INPUT_FILES = [/^bot\/recognizer\//, /^dialogs\/staff\/request-words\.ts$/];

/** A French sentence or label (log lines and technical details are English). */
const FRENCH = /[éèêàùâîôûç]|\b(?:le|la|les|un|une|votre|vos|de|du|des|par|à|au|aux|pas|est|sur|Par|Le|La|Votre|Un|Une)\b/;

const FORBIDDEN: { rule: string; pattern: RegExp; frenchOnly: boolean }[] = [
  { rule: 'courriel', pattern: /courriels?/i, frenchOnly: false },
  { rule: 'adresse mail / électronique', pattern: /adresses? (?:mail|email|électronique|de messagerie|courriel)/i, frenchOnly: false },
  { rule: '"mail" for "e-mail"', pattern: /(?<![-\w@.])mails?\b(?![-@.]\w)/i, frenchOnly: true },
  { rule: '"email" for "e-mail"', pattern: /(?<![-\w@./])emails?\b(?![-@.:]\w)/i, frenchOnly: true },
  { rule: 'confirmé jargon', pattern: /(?:e-?)?mail confirmée?|adresse(?: e-mail)? confirmée|confirmée? sur (?:votre|mon|son|le) compte/i, frenchOnly: false },
  { rule: 'Établissement without its accent', pattern: /\bEtablissements?\b/, frenchOnly: false },
];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.(ts|js|html)$/.test(name)) yield full;
  }
}

/** The string literals and template parts of a TypeScript/JavaScript file, except synonyms (input). */
function literals(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const isInput = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isPropertyAssignment(n) && /synonyms|words/i.test(n.name.getText())) return true;
      if (ts.isCallExpression(n) && /\blog\.\w+$|^new Error$/.test(n.expression.getText())) return true;
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent) && !isInput(node)) {
        out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
      }
    }
    node.forEachChild(visit);
  };
  visit(source);
  return out;
}

const offences = (text: string): string[] => FORBIDDEN.filter((f) => f.pattern.test(text) && (!f.frenchOnly || FRENCH.test(text))).map((f) => f.rule);

describe('wording users read', () => {
  it('no forbidden variant in the strings of the user-facing code', () => {
    const found: string[] = [];
    for (const top of SOURCES) {
      for (const file of files(path.join(ROOT, top))) {
        const rel = path.relative(ROOT, file);
        if (INPUT_FILES.some((p) => p.test(rel))) continue;
        const items = file.endsWith('.html') ? [{ line: 0, text: readFileSync(file, 'utf8') }] : literals(file);
        for (const { line, text } of items) {
          const rules = offences(text);
          if (rules.length) found.push(`${rel}:${line} [${rules.join(', ')}] ${text.slice(0, 120)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('no forbidden variant in the rendered pages and mails', () => {
    const settings = testSettings({ publicUrl: 'https://aide.example.org' });
    const mails: OutgoingMessage[] = [
      ...(['C02', 'C04', 'C06'] as const).map((code) => ({ template: 'letter' as const, to: 'a@example.org', letter: letter(code) })),
      {
        template: 'activation',
        to: 'a@example.org',
        firstName: 'Céline',
        lastName: 'Dupont',
        identifier: 'celine.dupont114',
        url: 'https://aide.example.org/activation/abc',
        ttlHours: 24,
      },
      { template: 'password_reset_link', to: 'a@example.org', firstName: 'Céline', url: 'https://aide.example.org/mot-de-passe/abc', ttlHours: 1 },
      { template: 'identifier_reminder', to: 'a@example.org', firstName: 'Céline', identifier: 'celine.dupont114' },
      { template: 'email_change_notice', to: 'a@example.org', firstName: 'Céline', newEmailMasked: 'n***w@example.org' },
      { template: 'email_change_confirm', to: 'n@example.org', firstName: 'Céline', url: 'https://aide.example.org/email/abc', ttlHours: 24 },
      ...(['password_changed', 'identifier_sent', 'accounts_merged', 'account_activated'] as const).map((event) => ({
        template: 'security_notice' as const,
        to: 'a@example.org',
        firstName: 'Céline',
        event,
      })),
    ];
    const rendered = [
      ...mails.flatMap((m) => {
        const r = renderMessage(m, settings);
        return [r.subject ?? '', r.text, r.html ?? ''];
      }),
      renderChatPage(readFileSync(path.join(ROOT, 'web/chat/index.html'), 'utf8'), settings),
      renderOutboxPage([]),
    ];
    const found = rendered.flatMap((text) => offences(text).map((rule) => `${rule}: ${text.slice(0, 80)}`));
    expect(found).toEqual([]);
  });
});
