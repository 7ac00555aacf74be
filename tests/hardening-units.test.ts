import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../bin/terminal-output';
import { loadAuthConfig } from '../lib/auth/auth-config';
import { decide } from '../lib/auth/gate';
import { allowedMethods, MAX_TARGET_CHARS, parseRequestTarget } from '../lib/auth/request-target';
import { visibleControls, withVisibleControls } from '../lib/request/display-text';
import { extractMentions } from '../lib/engine/ingest/extract';
import { containsPattern } from '../lib/store/like';

describe('request target', () => {
  it('refuses a malformed %-escape and decodes a good one', () => {
    expect(parseRequestTarget('/graph/entity/%')).toMatchObject({ ok: false, status: 400 });
    expect(parseRequestTarget('/graph/entity/%4')).toMatchObject({ ok: false, status: 400 });
    expect(parseRequestTarget('/graph/entity/%41')).toMatchObject({ ok: true, pathname: '/graph/entity/A' });
    expect(parseRequestTarget('/graph/entity/caf%C3%A9')).toMatchObject({ ok: true, pathname: '/graph/entity/café' });
  });

  it('refuses encoded separators and NUL, which the gate and the router would split differently', () => {
    for (const target of ['/a%2Fb', '/a%2fb', '/a%5Cb', '/a%00b', '/users/x%2F..%2Fkeys']) {
      expect(parseRequestTarget(target), target).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('gives the gate the path the router resolves for an encoded dot segment', () => {
    // The URL parser resolves %2e%2e as `..` (as Next's own parsing does), so both see /keys.
    for (const target of ['/%2e%2e/keys', '/.%2E/keys', '/graph/%2e%2e/keys']) {
      expect(parseRequestTarget(target), target).toEqual({ ok: true, pathname: '/keys', pathAndSearch: '/keys' });
    }
  });

  it('refuses a target that names another host', () => {
    for (const target of ['http://evil.example/x', '//evil.example/x', 'https://request.invalid.evil.example/']) {
      expect(parseRequestTarget(target), target).toMatchObject({ ok: false, status: 400, pathname: '/' });
    }
  });

  it('refuses an over-long target with 414 and accepts one at the limit', () => {
    expect(MAX_TARGET_CHARS).toBe(4096);
    expect(parseRequestTarget(`/${'a'.repeat(4999)}`)).toMatchObject({ ok: false, status: 414 });
    expect(parseRequestTarget(`/${'a'.repeat(4096)}`)).toMatchObject({ ok: false, status: 414 });
    expect(parseRequestTarget(`/${'a'.repeat(4095)}`)).toMatchObject({ ok: true, pathname: `/${'a'.repeat(4095)}` });
  });

  it('decides on the decoded path but keeps the raw path and query for redirects', () => {
    expect(parseRequestTarget('/k%65ys?x=1')).toEqual({ ok: true, pathname: '/keys', pathAndSearch: '/k%65ys?x=1' });
    expect(parseRequestTarget(undefined)).toEqual({ ok: true, pathname: '/', pathAndSearch: '/' });
  });

  it('allows form posts only to the auth endpoints', () => {
    expect(allowedMethods('/api/auth/signin')).toContain('POST');
    expect(allowedMethods('/api/auth/callback/oidc')).toContain('POST');
    expect([...allowedMethods('/graph')]).toEqual(['GET', 'HEAD']);
    expect([...allowedMethods('/api/authx')]).toEqual(['GET', 'HEAD']);
    expect([...allowedMethods('/api/export/queries')]).toEqual(['GET', 'HEAD']);
  });
});

describe('visible controls on pages', () => {
  it('brackets bidi, C0, DEL and C1 controls by their code point', () => {
    expect(visibleControls('rtl\u202Egnp.md')).toBe('rtl[U+202E]gnp.md');
    expect(visibleControls('a\u001b]0;x\u0007b')).toBe('a[U+001B]]0;x[U+0007]b');
    expect(visibleControls('del\u007F')).toBe('del[U+007F]');
    expect(visibleControls('nel\u0085')).toBe('nel[U+0085]');
    expect(visibleControls('\u2066isolate\u2069')).toBe('[U+2066]isolate[U+2069]');
    expect(visibleControls('\u0000\u200f\u061c')).toBe('[U+0000][U+200F][U+061C]');
  });

  it('leaves tab, newline and ordinary non-ASCII text alone', () => {
    for (const text of ['a\tb\nc', 'café', '日本語のノート', 'ship it 🚀👍🏽', 'ﬁ ligature', 'Ελληνικά']) {
      expect(visibleControls(text)).toBe(text);
    }
  });

  it('maps strings deep in arrays and plain objects, and nothing else', () => {
    const when = new Date('2026-01-02T03:04:05Z');
    const input = {
      name: 'x\u202Ey',
      list: ['\u0007', { inner: ['\u001b[31m'] }],
      count: 3,
      none: null,
      when,
      bare: Object.assign(Object.create(null) as Record<string, unknown>, { v: '\u2067' }),
    };
    const output = withVisibleControls(input);
    expect(output).toEqual({
      name: 'x[U+202E]y',
      list: ['[U+0007]', { inner: ['[U+001B][31m'] }],
      count: 3,
      none: null,
      when,
      bare: { v: '[U+2067]' },
    });
    expect(output.when).toBe(when);
    expect(input.name).toBe('x\u202Ey'); // a copy, not the caller's object changed
    expect(withVisibleControls(42)).toBe(42);
    expect(withVisibleControls(null)).toBeNull();
  });
});

describe('terminal output', () => {
  it('writes control characters as literal \\uXXXX text', () => {
    expect(terminalSafe('\u001b]0;pwned\u0007')).toBe('\\u001b]0;pwned\\u0007');
    expect(terminalSafe('a\u202eb')).toBe('a\\u202eb');
    expect(terminalSafe('\u009b2J\u007f')).toBe('\\u009b2J\\u007f');
    expect(terminalSafe('tab\there\nnext line')).toBe('tab\there\nnext line');
    expect(terminalSafe('café 日本 🚀')).toBe('café 日本 🚀');
  });

  it('keeps the value of a JSON string the same', () => {
    for (const original of ['a\u202eb', '\u2066x\u2069', 'bell\u0007']) {
      expect(JSON.parse(`"${terminalSafe(original)}"`)).toBe(original);
    }
    const json = JSON.stringify({ path: 'rtl\u202Egnp.md' });
    expect(JSON.parse(terminalSafe(json))).toEqual({ path: 'rtl\u202Egnp.md' });
  });
});

describe('LIKE patterns', () => {
  it('finds %, _ and \\ literally', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (v TEXT)');
      const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
      for (const v of ['100%', '100 percent', 'a_b', 'axb', 'back\\slash']) insert.run(v);
      const find = (text: string): string[] =>
        db
          .prepare<[string], { v: string }>("SELECT v FROM t WHERE v LIKE ? ESCAPE '\\' ORDER BY v")
          .all(containsPattern(text))
          .map((row) => row.v);
      expect(find('%')).toEqual(['100%']);
      expect(find('_')).toEqual(['a_b']);
      expect(find('\\')).toEqual(['back\\slash']);
      expect(find('0%')).toEqual(['100%']);
      expect(find('')).toEqual(['100 percent', '100%', 'a_b', 'axb', 'back\\slash']);
    } finally {
      db.close();
    }
  });
});

describe('proper names in hostile text', () => {
  const names = (text: string): string[] =>
    extractMentions(text, null)
      .filter((mention) => mention.source === 'name')
      .map((mention) => mention.name);

  it('finds no name in a long run of alternating capitals (a pattern that once took cubic time)', () => {
    // 100,000 characters: the vitest timeout would end a cubic-time match long before it finished.
    expect(names('Ab'.repeat(50_000))).toEqual([]);
    expect(names(`${'Ab'.repeat(50_000)} Maria Lopez`)).toEqual(['Maria Lopez']);
  });

  it('starts names at word starts, and skips a first word without a small letter', () => {
    expect(names('We met Maria Lopez at Kestrel Station.')).toEqual(['Maria Lopez', 'Kestrel Station']);
    expect(names('NASA Maria Station is near')).toEqual(['Maria Station']);
    expect(names('The iPhone Store opened')).toEqual([]);
    // The long word is no name word; "Station", capitalised in mid-sentence and no common word to the lexicon, is.
    expect(names(`The ${'Verylongword'.repeat(5)} Station opened`)).toEqual(['Station']);
  });
});

describe('the gate on health probes', () => {
  const SECRET = 'q'.repeat(40);
  const proxy = loadAuthConfig({ DASHBOARD_AUTH_MODE: 'proxy', DASHBOARD_PROXY_SECRET: SECRET }, 'acme', '127.0.0.1');
  const identity = { 'x-hydramem-proxy-secret': SECRET, 'remote-user': 'ann', 'remote-groups': 'dash-acme-support' };

  it('answers a probe without identity as public', async () => {
    for (const pathname of ['/readyz', '/healthz']) {
      expect(await decide({ pathname, headers: {}, peer: '127.0.0.1' }, proxy)).toEqual({ kind: 'public' });
      expect(await decide({ pathname, headers: {}, peer: '203.0.113.9' }, proxy)).toEqual({ kind: 'public' });
    }
  });

  it('names the viewer of a probe who has a valid identity', async () => {
    expect(await decide({ pathname: '/readyz', headers: identity, peer: '127.0.0.1' }, proxy)).toEqual({
      kind: 'allow',
      viewer: { user: 'ann', name: null, role: 'support', mode: 'proxy' },
    });
  });

  it('keeps a probe public when the identity does not hold', async () => {
    const cases = [
      { headers: identity, peer: '203.0.113.9' }, // untrusted peer
      { headers: { ...identity, 'x-hydramem-proxy-secret': 'wrong' }, peer: '127.0.0.1' },
      { headers: { ...identity, 'remote-groups': 'staff' }, peer: '127.0.0.1' }, // no role
    ];
    for (const { headers, peer } of cases) {
      expect(await decide({ pathname: '/readyz', headers, peer }, proxy)).toEqual({ kind: 'public' });
    }
  });

  it('keeps other public paths public even with a valid identity', async () => {
    for (const pathname of ['/_next/static/chunks/app.js', '/icon.svg', '/favicon.ico']) {
      expect(await decide({ pathname, headers: identity, peer: '127.0.0.1' }, proxy)).toEqual({ kind: 'public' });
    }
  });

  it('keeps the admin-only rule on a path reached through an encoded dot segment', async () => {
    const target = parseRequestTarget('/%2e%2e/keys');
    if (!target.ok) throw new Error('expected the target to parse');
    expect(await decide({ pathname: target.pathname, headers: identity, peer: '127.0.0.1' }, proxy)).toEqual({
      kind: 'forbidden',
      user: 'ann',
      reason: 'admin-only',
    });
  });
});
