import { describe, expect, it } from 'vitest';
import { isUnreplacedPlaceholder, proxyIdentity, secretsMatch } from '../lib/auth/proxy-identity';
import { defaultRoleGroups, parseGroups, roleFor } from '../lib/auth/roles';

const groups = defaultRoleGroups('acme');
const SECRET = 's3cret-for-acme';
const ok = { 'x-hydramem-proxy-secret': SECRET, 'remote-user': 'ann', 'remote-groups': 'staff, dash-acme-admin' };

describe('roles from groups', () => {
  it('matches group names exactly', () => {
    expect(roleFor(parseGroups('staff, dash-acme-admin'), groups)).toBe('admin');
    expect(roleFor(parseGroups('dash-acme-support'), groups)).toBe('support');
    expect(roleFor(parseGroups('dash-acme-support,dash-acme-admin'), groups)).toBe('admin');
    for (const near of [
      'dash-acme-admin-x',
      'x-dash-acme-admin',
      'DASH-ACME-ADMIN',
      'dash-acme-admins',
      'dash-other-admin',
      'dash-acme',
      '',
    ]) {
      expect(roleFor(parseGroups(near), groups), near).toBeNull();
    }
  });
  it('splits, trims and de-duplicates', () => {
    expect(parseGroups(' a , b,,a ,')).toEqual(['a', 'b']);
    expect(parseGroups(['x ', ' y'])).toEqual(['x', 'y']);
    expect(parseGroups(null)).toEqual([]);
  });
});

describe('proxy identity', () => {
  it('accepts a trusted peer with the secret and a user', () => {
    expect(proxyIdentity(ok, true, SECRET)).toEqual({
      identity: { user: 'ann', groups: ['staff', 'dash-acme-admin'], name: null, email: null },
    });
  });
  it('refuses an untrusted peer, a wrong or missing secret, and no user', () => {
    expect(proxyIdentity(ok, false, SECRET)).toEqual({ rejected: 'untrusted-peer' });
    expect(proxyIdentity({ ...ok, 'x-hydramem-proxy-secret': 'guess' }, true, SECRET)).toEqual({ rejected: 'bad-secret' });
    expect(proxyIdentity({ ...ok, 'x-hydramem-proxy-secret': undefined }, true, SECRET)).toEqual({ rejected: 'bad-secret' });
    expect(proxyIdentity(ok, true, '')).toEqual({ rejected: 'bad-secret' });
    expect(proxyIdentity({ ...ok, 'remote-user': '  ' }, true, SECRET)).toEqual({ rejected: 'no-user' });
    expect(proxyIdentity({ ...ok, 'remote-user': '{http.reverse_proxy.header.Remote-User}' }, true, SECRET)).toEqual({
      rejected: 'no-user',
    });
  });
  it('refuses duplicated identity or secret headers', () => {
    expect(proxyIdentity({ ...ok, 'remote-user': ['ann', 'root'] }, true, SECRET)).toEqual({ rejected: 'no-user' });
    expect(proxyIdentity({ ...ok, 'x-hydramem-proxy-secret': [SECRET, SECRET] }, true, SECRET)).toEqual({
      rejected: 'bad-secret',
    });
  });
  it('treats placeholders as absent', () => {
    expect(isUnreplacedPlaceholder('{http.reverse_proxy.header.Remote-Groups}')).toBe(true);
    expect(isUnreplacedPlaceholder('ann')).toBe(false);
    const result = proxyIdentity({ ...ok, 'remote-groups': '{http.reverse_proxy.header.Remote-Groups}' }, true, SECRET);
    expect(result).toEqual({ identity: { user: 'ann', groups: [], name: null, email: null } });
  });
  it('compares secrets by value only', () => {
    expect(secretsMatch('abc', 'abc')).toBe(true);
    expect(secretsMatch('abc', 'abd')).toBe(false);
    expect(secretsMatch('abc', 'abcd')).toBe(false);
  });
});
