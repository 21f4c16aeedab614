import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];

/** The production entry point (apps/api/src/main.ts through ts-node) in a child process, its stdout read line by line. */
export interface EntryPoint {
  /** Every complete stdout line so far, ANSI colours removed. */
  readonly lines: string[];
  stderr(): string;
  /** Resolves with the first line (already written or still to come) that passes; rejects if the server exits first. */
  line(test: (line: string) => boolean): Promise<string>;
  /** Sends SIGTERM to the server itself and resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
  /** SIGKILL if still running: for afterAll, after a failed assertion. */
  kill(): void;
}

/**
 * Starts the entry point with `env` on top of the test process's environment, minus what Jest and the
 * test setup add. With `tty`, stdout is a terminal (util-linux `script`), as in `npm start` at a prompt.
 */
export function startEntryPoint(env: NodeJS.ProcessEnv, options: { tty?: boolean } = {}): EntryPoint {
  const childEnv = { ...withoutTestVariables(process.env), ...env };
  const child: ChildProcess = options.tty
    ? spawn('script', ['-qfec', ['exec', process.execPath, ...ENTRY].join(' '), '/dev/null'], {
        cwd: ROOT,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, ENTRY, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const raw of complete) {
      const line = raw.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r$/, '');
      if (!line) continue;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.test(line))) waiter.resolve(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    lines,
    stderr: () => stderr,
    exited,
    line(test) {
      const written = lines.find(test);
      if (written !== undefined) return Promise.resolve(written);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ test, resolve })),
        exited.then((code) => Promise.reject(new Error(`server exited with ${code}: ${stderr}`))),
      ]);
    },
    async stop() {
      // Under `script` the server is script's child: the signal must reach it, not the terminal.
      const pid = options.tty
        ? Number(execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }))
        : child.pid!;
      process.kill(pid, 'SIGTERM');
      return exited;
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}

function withoutTestVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of ['ALLOW_TEST_CLOCK', 'JEST_WORKER_ID', 'SMTP_URL', 'ALERT_EMAIL_TO', 'LOG_LEVEL', 'LOG_FORMAT'])
    delete copy[name];
  return copy;
}
