import { describe, expect, it } from 'vitest';
import { inheritedListenFd, watchIdle } from '../bin/socket-activation';
import { loadDashboardSettings } from '../lib/request/dashboard-settings';

describe('a socket handed over by systemd', () => {
  it('is fd 3 for the process LISTEN_PID names, and the variables are gone afterwards', () => {
    const env: Record<string, string | undefined> = { LISTEN_FDS: '1', LISTEN_PID: '4242', LISTEN_FDNAMES: 'web' };
    expect(inheritedListenFd(env, 4242, 1)).toBe(3);
    expect(env).toEqual({});
  });

  it('is passed on by the launcher: the parent named by LISTEN_PID and HYDRAMEM_LAUNCHER_PID', () => {
    expect(inheritedListenFd({ LISTEN_FDS: '1', LISTEN_PID: '100', HYDRAMEM_LAUNCHER_PID: '100' }, 200, 100)).toBe(3);
  });

  it("is not this process's when LISTEN_PID names another (variables left to an ancestor)", () => {
    expect(inheritedListenFd({ LISTEN_FDS: '1', LISTEN_PID: '100' }, 200, 100)).toBeNull();
    expect(inheritedListenFd({ LISTEN_FDS: '1', LISTEN_PID: '100', HYDRAMEM_LAUNCHER_PID: '99' }, 200, 100)).toBeNull();
    expect(inheritedListenFd({}, 200, 100)).toBeNull();
  });

  it('refuses more than one socket in one line', () => {
    expect(() => inheritedListenFd({ LISTEN_FDS: '2', LISTEN_PID: '7' }, 7, 1)).toThrow(/passed 2 sockets .* exactly one/);
  });
});

describe('the idle exit', () => {
  it('reads minutes with fractions and refuses anything else', () => {
    expect(loadDashboardSettings({}).idleExitMinutes).toBe(0);
    expect(loadDashboardSettings({ DASHBOARD_IDLE_EXIT_MINUTES: '15' }).idleExitMinutes).toBe(15);
    expect(loadDashboardSettings({ DASHBOARD_IDLE_EXIT_MINUTES: '0.5' }).idleExitMinutes).toBe(0.5);
    for (const value of ['-1', 'soon', '1e3', '20000'])
      expect(() => loadDashboardSettings({ DASHBOARD_IDLE_EXIT_MINUTES: value }), value).toThrow(/DASHBOARD_IDLE_EXIT_MINUTES/);
  });

  it('waits while a request is in progress, then fires once the last one has been idle long enough', async () => {
    let fired = 0;
    const watch = watchIdle(200, () => (fired += 1));
    watch.requestStarted();
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(fired).toBe(0); // a long request keeps it alive
    watch.requestEnded();
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(fired).toBe(1);
  });
});
