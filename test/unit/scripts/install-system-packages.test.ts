import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../../server/paths.js';

const script = path.join(projectRoot, 'scripts', 'install-system-packages.sh');

/**
 * The script runs with a PATH of one folder holding only the tools it uses, so that what the
 * suite needs (chromium, gpg, redis-server, haproxy, Liberation fonts) is hidden as on a fresh machine.
 * `id`, `sudo` and `apt-get` there are stand-ins: `apt-get install` records its arguments and
 * "installs" each package by putting its command in the folder.
 */
class FreshMachine {
  readonly bin = mkdtempSync(path.join(os.tmpdir(), 'bharatpol-machine-'));
  readonly log = path.join(this.bin, 'apt.log');

  constructor({ uid, sudo }: { uid: number; sudo: 'none' | 'password' | 'passwordless' }) {
    for (const tool of ['bash', 'env', 'grep', 'cat', 'true']) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, path.join(this.bin, tool));
    }
    this.tool('id', `echo ${uid}`);
    if (sudo === 'password') this.tool('sudo', 'echo "sudo: a password is required" >&2; exit 1');
    if (sudo === 'passwordless') this.tool('sudo', '[ "$1" = -n ] && shift; echo "sudo $*" >> "$LOG"; "$@"');
    const chmod = spawnSync('bash', ['-c', 'command -v chmod'], { encoding: 'utf8' }).stdout.trim();
    const commands = { chromium: 'chromium', gnupg: 'gpg', 'redis-server': 'redis-server', haproxy: 'haproxy' };
    this.tool(
      'apt-get',
      [
        'echo "apt-get $*" >> "$LOG"',
        '[ "$1" = install ] || exit 0',
        'for p in "$@"; do case "$p" in',
        ...Object.entries(commands).map(([p, c]) => `  ${p}) printf '#!/bin/sh\\n' > "$BIN/${c}"; ${chmod} +x "$BIN/${c}";;`),
        `  fonts-liberation) printf '#!/bin/sh\\necho LiberationSans-Regular.ttf\\n' > "$BIN/fc-list"; ${chmod} +x "$BIN/fc-list";;`,
        'esac; done',
      ].join('\n'),
    );
  }

  tool(name: string, body: string): void {
    writeFileSync(path.join(this.bin, name), `#!${path.join(this.bin, 'bash')}\n${body}\n`);
    chmodSync(path.join(this.bin, name), 0o755);
  }

  run(...args: string[]): { status: number | null; stdout: string; stderr: string; apt: string[] } {
    const result = spawnSync(path.join(this.bin, 'bash'), [script, ...args], {
      env: { PATH: this.bin, SBIN_DIRS: '', LOG: this.log, BIN: this.bin },
      encoding: 'utf8',
    });
    const apt = existsSync(this.log) ? readFileSync(this.log, 'utf8').trim().split('\n') : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, apt };
  }

  remove(): void {
    rmSync(this.bin, { recursive: true, force: true });
  }
}

describe('install-system-packages.sh (what `npm run verify` sets up by itself)', () => {
  let machine: FreshMachine | undefined;
  afterEach(() => machine?.remove());

  it('installs everything the suite lacks when run as root, and says so', () => {
    machine = new FreshMachine({ uid: 0, sudo: 'none' });
    const result = machine.run();
    expect(result.status, result.stderr).to.equal(0);
    expect(result.apt[0]).to.equal('apt-get update -qq');
    expect(result.apt[1]).to.match(/^apt-get install -y -qq --no-install-recommends chromium gnupg redis-server haproxy fonts-liberation$/);
    expect(result.stdout).to.contain('installed chromium gnupg redis-server haproxy fonts-liberation');
  });

  it('installs through a sudo that needs no password', () => {
    machine = new FreshMachine({ uid: 1000, sudo: 'passwordless' });
    const result = machine.run();
    expect(result.status, result.stderr).to.equal(0);
    expect(result.apt).to.include('sudo apt-get update -qq');
    expect(result.apt.some((line) => line.startsWith('sudo env DEBIAN_FRONTEND=noninteractive apt-get install'))).to.equal(true);
  });

  it('does nothing, silently, once everything is there', () => {
    machine = new FreshMachine({ uid: 0, sudo: 'none' });
    expect(machine.run().status).to.equal(0);
    const again = machine.run();
    expect(again.status).to.equal(0);
    expect(again.stdout + again.stderr).to.equal('');
    expect(again.apt.filter((line) => line.includes('install'))).to.have.length(1);
  });

  it('otherwise fails with one line naming what is missing and the one command to run', () => {
    machine = new FreshMachine({ uid: 1000, sudo: 'password' });
    const result = machine.run();
    expect(result.status).to.equal(1);
    expect(result.apt).to.deep.equal([]);
    const lines = result.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('chromium gnupg redis-server haproxy fonts-liberation');
    expect(lines[0]).to.match(/Install them once with: sudo bash scripts\/install-system-packages\.sh$/);
  });

  it('with --check installs nothing even as root', () => {
    machine = new FreshMachine({ uid: 0, sudo: 'none' });
    const result = machine.run('--check');
    expect(result.status).to.equal(1);
    expect(result.apt).to.deep.equal([]);
    expect(result.stderr).to.contain('chromium gnupg redis-server haproxy fonts-liberation');
  });

  it('fails when apt-get leaves a package missing', () => {
    machine = new FreshMachine({ uid: 0, sudo: 'none' });
    machine.tool('apt-get', 'echo "apt-get $*" >> "$LOG"');
    const result = machine.run();
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/still missing after apt-get install: chromium gnupg redis-server haproxy fonts-liberation/);
  });
});
