// Starts a private redis-server (Debian's package) on a free port, nothing persisted, for the tests and the bench; stopped by its pid.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export const redisServerPath = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** @returns {Promise<{ url: string, port: number, pid: number, stop: () => Promise<void> }>} (the pid: tests pause it with SIGSTOP) */
export async function startRedis() {
  if (!redisServerPath) throw new Error('redis-server is missing: apt-get install redis-server');
  const port = await freePort();
  const child = spawn(
    redisServerPath,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; ; i++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) {
        process.kill(child.pid, 'SIGCONT'); // a paused server would never see the SIGTERM
        process.kill(child.pid, 'SIGTERM');
      }
      await exited;
    },
  };
}
