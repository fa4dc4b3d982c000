// Sample app instances on PostgreSQL, and a proxy in front of them that can cut connections and turn to
// another instance, as a load balancer does when an instance goes away.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const STARTUP_TIMEOUT_MS = 180_000;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** One sample app process on the postgres profile; ready once it logs that it started. */
export class Instance {
  static async start({ name, dir, args = [], profiles = 'postgres' }) {
    const portArg = args.find((arg) => arg.startsWith('--server.port='));
    const port = portArg ? Number(portArg.split('=')[1]) : await freePort();
    const home = join(dir, name);
    mkdirSync(home, { recursive: true });
    const jar = process.env.SAMPLE_JAR;
    if (!jar) {
      throw new Error('SAMPLE_JAR must name the sample app jar');
    }
    const child = spawn('java', ['-Xmx384m', '-jar', jar, `--spring.profiles.active=${profiles}`,
      `--server.port=${port}`, ...args.filter((arg) => arg !== portArg)], { cwd: home });
    const instance = new Instance(name, port, child, createWriteStream(join(home, 'app.log')));
    await instance.started;
    return instance;
  }

  constructor(name, port, child, log) {
    this.name = name;
    this.port = port;
    this.url = `http://localhost:${port}`;
    this.child = child;
    this.errorLines = [];
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    this.started = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${STARTUP_TIMEOUT_MS} ms`)),
        STARTUP_TIMEOUT_MS);
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          log.write(line + '\n');
          if (/ ERROR /.test(line)) {
            this.errorLines.push(line);
          }
          if (/Started SampleApplication/.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it started: ${JSON.stringify(exit)}; see ${log.path}`));
      });
    });
    this.started.catch(() => {});
  }

  /** Lines the application logged at ERROR level. */
  errors() {
    return [...this.errorLines];
  }

  /** Sends the signal and resolves when the process has exited: `{code, signal, sentAt, at}`. */
  async kill(signal = 'SIGTERM') {
    const sentAt = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal);
    }
    return { ...(await this.exited), sentAt };
  }

  /** Resolves when the store has expired the session: its session.expired entry is in the feed. */
  async expiry(sessionId) {
    for (;;) {
      const url = new URL('/mcp-sessions/feed', this.url);
      url.search = new URLSearchParams({ types: 'session.expired', sessionId, after: '0', waitMs: '30000' });
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`the feed answered ${response.status}: ${await response.text()}`);
      }
      const page = await response.json();
      if (page.entries.length > 0) {
        return page.entries[0];
      }
    }
  }
}

/** An HTTP proxy to one instance at a time; it remembers every request it forwarded. */
export class Proxy {
  static async start(targetPort) {
    const proxy = new Proxy(targetPort);
    await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://localhost:${proxy.server.address().port}`;
    return proxy;
  }

  constructor(targetPort) {
    this.target = targetPort;
    this.open = new Set();
    this.forwarded = [];
    this.server = http.createServer((request, response) => this.forward(request, response));
  }

  forward(request, response) {
    const port = this.target;
    this.forwarded.push({ port, method: request.method, lastEventId: request.headers['last-event-id'] });
    const upstream = http.request({
      host: '127.0.0.1', port, method: request.method, path: request.url, agent: false,
      headers: { ...request.headers, host: `localhost:${port}` },
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
      answer.on('error', () => response.destroy());
    });
    const connection = { port, response, upstream };
    this.open.add(connection);
    response.on('close', () => {
      this.open.delete(connection);
      upstream.destroy();
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  }

  /** New requests go to the instance on `port`; open connections stay where they are. */
  turnTo(port) {
    this.target = port;
  }

  /** Cuts every open connection (the client's and the instance's side) and sends new requests to `port`. */
  cutAndTurnTo(port) {
    const from = this.target;
    this.target = port;
    for (const connection of this.open) {
      if (connection.port === from) {
        connection.response.destroy();
        connection.upstream.destroy();
      }
    }
    return { at: Date.now() };
  }

  requestsTo(port) {
    return this.forwarded.filter((request) => request.port === port);
  }

  async close() {
    for (const connection of this.open) {
      connection.response.destroy();
      connection.upstream.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }
}
