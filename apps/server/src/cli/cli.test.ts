import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/liudong.mjs');

/** Runs the real `liudong` command as a user would, on its own embedded data directory. */
async function liudong(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the liudong command', () => {
  it('migrates, seeds, creates an admin, backs up, restores, verifies and resets a password', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-cli-'));
    const data = path.join(dir, 'data');

    expect((await liudong(data, 'migrate')).stdout).toContain('数据库结构已是最新（pglite）');

    const seeded = await liudong(
      data,
      'seed-demo',
      '--seed',
      '11',
      '--password',
      'Demo-Password-2026',
    );
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/演示数据已生成（seed 11）：\d{3} 个组织/);
    expect(seeded.stdout).toContain('shenji');
    // Keeping in touch (issue 4 §9), as the domain rules count it on the day of the seed: the
    // full county has lost members (≥ 5, one in zhibu's branch), an on-time share of 70–80 %,
    // three outbound members of zhibu's branch left for the bulk assignment, a closed census.
    const touch =
      /未分配联络员 \d+ 人（其中\S+ (\d+) 人.*lianluoyuan 负责联系 (\d+) 人，其中已逾期 (\d+) 人，该支部失联 (\d+) 人/.exec(
        seeded.stdout,
      );
    expect(touch, seeded.stdout).not.toBeNull();
    const [focusUnassigned, queue, overdue, focusLost] = touch!.slice(1).map(Number);
    expect(focusUnassigned).toBe(3);
    expect(queue).toBeGreaterThanOrEqual(5);
    expect(overdue).toBeGreaterThanOrEqual(3);
    expect(focusLost).toBeGreaterThanOrEqual(1);
    const rate = /按时联系率 (\d+\.\d)%/.exec(seeded.stdout);
    expect(Number(rate?.[1])).toBeGreaterThanOrEqual(70);
    expect(Number(rate?.[1])).toBeLessThanOrEqual(80);
    expect(Number(/失联 (\d+) 人，预警/.exec(seeded.stdout)?.[1])).toBeGreaterThanOrEqual(5);
    expect(seeded.stdout).toMatch(/\d{4}年春节流动党员集中摸排（.+）已结束：核实任务 \d+ 个/);
    expect(seeded.stdout).toContain('短信模板新增 4 个');

    const admin = await liudong(
      data,
      'create-admin',
      '--username',
      'sysadm',
      '--role',
      'system_admin',
    );
    expect(admin.stdout).toMatch(/账号：sysadm\s+一次性密码：\S{20}/);
    expect((await liudong(data, 'create-admin', '--username', 'sysadm')).stderr).toContain(
      '已被使用',
    );
    expect(
      (await liudong(data, 'create-admin', '--username', 'x1', '--role', 'king')).stderr,
    ).toContain('未知角色');

    const file = path.join(dir, 'b.jsonl.gz');
    const backup = await liudong(data, 'backup', '--out', file);
    expect(backup.stdout).toContain('备份完成');
    expect(fs.existsSync(file)).toBe(true);

    const refused = await liudong(path.join(dir, 'other'), 'restore', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--yes');
    const restored = await liudong(path.join(dir, 'other'), 'restore', file, '--yes');
    expect(restored.stdout).toContain('恢复完成，校验一致');

    const verified = await liudong(path.join(dir, 'other'), 'verify-audit');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/审计日志完整：已校验 \d+ 条/);

    const reset = await liudong(data, 'reset-password', '--username', 'zuzhibu', '--reset-totp');
    expect(reset.stdout).toMatch(/账号：zuzhibu\s+一次性密码：\S{20}/);
    expect((await liudong(data, 'reset-password', '--username', 'ghost')).stderr).toContain(
      '不存在',
    );

    const unknown = await liudong(data, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('未知命令');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});

async function freePort(): Promise<number> {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  srv.close();
  return port;
}

/** Starts `liudong start`, waits for /api/health, returns the process and what it printed. */
async function startServer(dataDir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return { child, port, output: () => out };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

describe('the embedded store across restarts (issue 2 §2)', () => {
  it('checkpoints and releases the lock on SIGTERM; a restart finds the data and prints no new passwords', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liudong-restart-'));
    const first = await startServer(dir);
    const printed = /账号：admin\s+一次性密码：(\S{20})/.exec(first.output());
    expect(printed).not.toBeNull();
    expect(fs.existsSync(path.join(dir, 'liudong.lock'))).toBe(true);
    // A second process on the same data directory is refused while the first runs.
    const second = await liudong(dir, 'migrate');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('数据目录正被另一个进程');

    first.child.kill('SIGTERM');
    const [code] = (await once(first.child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'liudong.lock'))).toBe(false);

    const again = await startServer(dir);
    try {
      expect(again.output()).not.toContain('一次性密码');
      const login = await fetch(`http://127.0.0.1:${again.port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: printed![1] }),
      });
      // The account and its one-time password from the first run survived the restart.
      expect(login.status).toBe(200);
      expect(await login.json()).toEqual({ next: 'change_password', totpRequired: false });
    } finally {
      again.child.kill('SIGTERM');
      await once(again.child, 'exit');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
