// The logger redacts secrets in free text (issue #11, point 9): token paths of the self-service
// pages, signed file links, the facade's connector route, JWTs, and recipients echoed by SMTP
// errors. Captured from the real logger's output.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../services/logger.js';

function capture(): { log: ReturnType<typeof createLogger>; output: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger('info', sink), output: () => lines.join('') };
}

const TOKEN = 'q7Xk2pLm9VbN4rTz8WcY1sHd';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('log redaction', () => {
  it('removes token paths, signed links, connector secrets, JWTs and recipients from every string written', () => {
    const { log, output } = capture();
    log.error({ err: new Error(`page failed on /activation/${TOKEN}`), path: `/mot-de-passe/${TOKEN}` }, `GET /email/${TOKEN}`);
    log.warn({ url: `http://127.0.0.1:3978/fichiers/0b3c2a9e-1111-4222-8333-944445555666?exp=1767225600&sig=${TOKEN}` }, 'download');
    log.warn({ route: `/v3/directline/_connector/${TOKEN}/v3/conversations/c1/activities` }, 'connector');
    log.info({ header: `Bearer ${JWT}` }, 'auth');
    log.warn(`socket refused: /v3/directline/conversations/c1/stream?t=${TOKEN}&watermark=3`);
    const smtp = new Error(`Can't send mail - all recipients were rejected: 550 5.1.1 <claire.martin@example.org>: Recipient address rejected`);
    log.warn({ reason: smtp.message, err: smtp }, 'message failed for claire.martin@example.org');
    const text = output();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('claire.martin@');
    for (const kept of [
      '/activation/[redacted]',
      '/mot-de-passe/[redacted]',
      '/email/[redacted]',
      '/fichiers/[redacted]?exp=1767225600&sig=[redacted]',
      '/_connector/[redacted]/v3',
      'stream?t=[redacted]&watermark=3',
      'c***n@example.org',
      '550 5.1.1',
      'page failed on',
    ]) {
      expect(text).toContain(kept);
    }
  });

  it('leaves ordinary paths and masked addresses as they are', () => {
    expect(redactText('/mot-de-passe-perdu and /mon-compte/mot-de-passe')).toBe('/mot-de-passe-perdu and /mon-compte/mot-de-passe');
    expect(redactText('sent to c***n@example.org')).toBe('sent to c***n@example.org');
  });
});
