import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { goVersionAtLeast, requiredGoVersion } from '../../../server/db/ferretdb-binary.js';
import { projectRoot } from '../../../server/paths.js';

describe('embedded database build: the Go it needs', () => {
  it('compares Go versions part by part', () => {
    expect(goVersionAtLeast('1.24', '1.24')).to.equal(true);
    expect(goVersionAtLeast('1.24.0', '1.24')).to.equal(true);
    expect(goVersionAtLeast('1.26.8', '1.24')).to.equal(true);
    expect(goVersionAtLeast('2.0', '1.24')).to.equal(true);
    expect(goVersionAtLeast('1.23.12', '1.24')).to.equal(false);
    expect(goVersionAtLeast('1.9', '1.24')).to.equal(false);
  });

  it('reads the version it needs from the launcher go.mod', async () => {
    expect(await requiredGoVersion()).to.match(/^1\.\d+/);
  });

  describe('npm start on a machine whose Go is too old or missing', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'bharatpol-go-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the build script with only `dir` (and node) on PATH and an empty cache (HOME). */
    function build(): { status: number | null; stdout: string; stderr: string } {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-ferretdb.ts'], {
        cwd: projectRoot,
        env: { PATH: `${dir}:${path.dirname(process.execPath)}`, HOME: dir },
        encoding: 'utf8',
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    it('says in one line which Go it found and which it needs, and builds nothing', () => {
      const fakeGo = path.join(dir, 'go');
      writeFileSync(fakeGo, '#!/bin/sh\n[ "$1" = version ] && echo "go version go1.22.4 linux/amd64" && exit 0\nexit 3\n');
      chmodSync(fakeGo, 0o755);
      const result = build();
      expect(result.status).to.equal(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/Go 1\.\d+ or newer is needed .* found Go 1\.22\.4/);
      expect(result.stdout).not.to.match(/building/);
    });

    it('says in one line that Go is missing', () => {
      const result = build();
      expect(result.status).to.equal(1);
      expect(result.stderr.trim().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(/Go is not installed/);
    });
  });
});
