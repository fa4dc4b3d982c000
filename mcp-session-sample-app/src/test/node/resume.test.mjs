// The official TypeScript MCP client against the sample app, on PostgreSQL: calls that outlive their
// connection, their instance, or a deploy, resumed by the client itself on another instance.
// Run by .ci/mcp-clients with SAMPLE_JAR (the sample app's jar) and WORK_DIR (logs) set.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { Instance, Proxy } from './resume-support.mjs';

const workDir = process.env.WORK_DIR ?? 'target/resume';
mkdirSync(workDir, { recursive: true });

// count_slowly 50 × 100 ms: the call runs for 5 s, long enough to act on it mid-call.
const COUNT = 50;
const INTERVAL_MS = 100;
const CALL_TIMEOUT_MS = 120_000;

const started = [];
after(async () => Promise.all(started.map((instance) => instance.kill())));

async function instance(name, args = [], profiles = 'postgres') {
  const started_ = await Instance.start({ name, dir: workDir, args, profiles });
  started.push(started_);
  return started_;
}

// B stays up through the tests: the instance that clients turn to.
let shared = null;
async function instanceB() {
  shared ??= instance('b');
  return shared;
}

async function connect(url, headers = {}) {
  const client = new Client({ name: 'resume-test', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

/** Calls count_slowly; `midCall` runs once, when progress `at` has arrived. */
function countSlowly(client, { at, midCall }) {
  const progress = [];
  let acted = null;
  const result = client.callTool({ name: 'count_slowly', arguments: { count: COUNT, intervalMs: INTERVAL_MS } },
    undefined, {
      timeout: CALL_TIMEOUT_MS,
      onprogress: (notification) => {
        progress.push(notification.progress);
        if (notification.progress === at && acted === null) {
          acted = midCall();
        }
      },
    });
  return { progress, result, acted: () => acted };
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A client through a proxy to a fresh instance A, with the shared B to turn to; the session ends after `body`. */
async function throughProxy(name, body) {
  const [a, b] = await Promise.all([instance(`${name}-a`), instanceB()]);
  const proxy = await Proxy.start(a.port);
  try {
    const { client, transport } = await connect(proxy.url);
    await body({ a, b, proxy, client });
    await transport.terminateSession();
    await client.close();
  }
  finally {
    await proxy.close();
  }
}

/** Mid-call: new requests go to B, and A gets the signal; resolves with A's exit. */
function turnToBAndSignal({ a, b, proxy }, signal) {
  return () => {
    proxy.turnTo(b.port);
    return a.kill(signal);
  };
}

test('a dropped connection: the client resumes on another instance and gets every progress and the result once, in order', async () => {
  await throughProxy('dropped', async ({ b, proxy, client }) => {
    const call = countSlowly(client, { at: 10, midCall: () => proxy.cutAndTurnTo(b.port) });
    const result = await call.result;

    assert.ok(call.acted(), 'the connections to A were cut mid-call');
    assert.deepEqual(result.content, [{ type: 'text', text: `counted to ${COUNT}` }]);
    assert.deepEqual(call.progress, range(1, COUNT));
    assert.ok(proxy.requestsTo(b.port).some((request) => request.method === 'GET' && request.lastEventId),
      'the client resumed on B with Last-Event-ID');
    // The session goes on, on B.
    const tools = await client.listTools();
    assert.ok(tools.tools.some((tool) => tool.name === 'count_slowly'));
  });
});

test('a crashed instance: the call ends with one error within the owner lease, never re-run, and the session goes on', async () => {
  await throughProxy('crash', async (setup) => {
    const { client } = setup;
    const call = countSlowly(client, { at: 10, midCall: turnToBAndSignal(setup, 'SIGKILL') });
    const failedAt = await call.result.then(
      (result) => assert.fail(`the call of the killed instance answered ${JSON.stringify(result)}`),
      (error) => ({ error, at: Date.now() }));
    const killedAt = (await call.acted()).at;

    assert.match(String(failedAt.error.message), /stopped before it answered/);
    // Owner lease (mcp.session.mcp.owner-lease, 15 s) plus the client's reconnection delays, with room for load.
    assert.ok(failedAt.at - killedAt < 60_000, `the error came ${failedAt.at - killedAt} ms after the kill`);
    // What A had stored, exactly once, in order; nothing from a re-run (which would restart at 1 or go past it).
    assert.ok(call.progress.length >= 10, `progress ${call.progress}`);
    assert.deepEqual(call.progress, range(1, call.progress.length));
    assert.ok(call.progress.length < COUNT, `progress ${call.progress}`);

    const again = await client.callTool({ name: 'count_slowly', arguments: { count: 2, intervalMs: 1 } });
    assert.deepEqual(again.content, [{ type: 'text', text: 'counted to 2' }]);
  });
});

test('a rolling deploy: SIGTERM lets the call finish on the stopping instance while the client follows it on another', async () => {
  await throughProxy('deploy', async (setup) => {
    const { a, b, proxy, client } = setup;
    const call = countSlowly(client, { at: 10, midCall: turnToBAndSignal(setup, 'SIGTERM') });
    const result = await call.result;
    const exit = await call.acted();

    assert.deepEqual(result.content, [{ type: 'text', text: `counted to ${COUNT}` }]);
    assert.deepEqual(call.progress, range(1, COUNT));
    // A finished the call, then stopped well within the graceful-shutdown phase (30 s), with nothing failed.
    assert.ok(exit.code === 143 || exit.signal === 'SIGTERM', `A exited with ${JSON.stringify(exit)}`);
    assert.ok(exit.at - exit.sentAt < 25_000, `A took ${exit.at - exit.sentAt} ms to stop`);
    assert.deepEqual(a.errors(), []);
    assert.ok(proxy.requestsTo(b.port).some((request) => request.method === 'GET' && request.lastEventId),
      'the client followed the call on B');
  });
});

test('a session survives a restart of the only instance', async () => {
  const a = await instance('restart-a');
  const proxy = await Proxy.start(a.port);
  try {
    const { client, transport } = await connect(proxy.url);
    const sessionId = transport.sessionId;
    assert.deepEqual((await client.callTool({ name: 'count_slowly', arguments: { count: 1, intervalMs: 1 } })).content,
      [{ type: 'text', text: 'counted to 1' }]);
    await a.kill('SIGTERM');

    const restarted = await instance('restart-a-again', [`--server.port=${a.port}`]);
    assert.equal(restarted.port, a.port);
    const again = await client.callTool({ name: 'count_slowly', arguments: { count: 2, intervalMs: 1 } });
    assert.deepEqual(again.content, [{ type: 'text', text: 'counted to 2' }]);
    assert.equal(transport.sessionId, sessionId);
    await transport.terminateSession();
    await client.close();
  }
  finally {
    await proxy.close();
  }
});

test('an expired session answers 404 with a JSON-RPC error, and the client can start a new one', async () => {
  const a = await instance('expiry', ['--mcp.session.timeout=2s', '--mcp.session.sweep.interval=1s']);
  const { client, transport } = await connect(a.url);
  const sessionId = transport.sessionId;
  await client.close(); // no request and no stream keep the session alive from here
  await a.expiry(sessionId);

  const response = await fetch(new URL('/mcp', a.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }),
  });
  assert.equal(response.status, 404);
  const body = await response.json();
  assert.equal(body.jsonrpc, '2.0');
  assert.equal(typeof body.error?.code, 'number');
  assert.doesNotMatch(JSON.stringify(body), /Exception|\tat /);

  const fresh = await connect(a.url);
  assert.notEqual(fresh.transport.sessionId, sessionId);
  await fresh.client.close();
});

/** An RS256 JWT for `sub`, signed with `privateKey` (what an authorization server would issue). */
function token(privateKey, sub) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

test('another principal cannot resume a stream: 404 as for no session, while its owner can', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(workDir, 'jwt-public-key.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const a = await instance('secured', [
    `--spring.security.oauth2.resourceserver.jwt.public-key-location=file:${keyFile}`,
  ], 'postgres,secured');
  const alice = { authorization: `Bearer ${token(privateKey, 'alice')}` };
  const bob = { authorization: `Bearer ${token(privateKey, 'bob')}` };

  const { client, transport } = await connect(a.url, alice);
  const sessionId = transport.sessionId;
  let lastEventId;
  const result = await client.callTool({ name: 'count_slowly', arguments: { count: 3, intervalMs: 1 } }, undefined,
    { onresumptiontoken: (eventId) => { lastEventId = eventId; } });
  assert.deepEqual(result.content, [{ type: 'text', text: 'counted to 3' }]);
  assert.ok(lastEventId, 'the call\'s stream carried event ids');

  const resume = (headers) => fetch(new URL('/mcp', a.url), {
    headers: {
      accept: 'text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
      'last-event-id': lastEventId,
      ...headers,
    },
  });
  const bobs = await resume(bob);
  assert.equal(bobs.status, 404);
  assert.doesNotMatch(await bobs.text(), /count_slowly|counted|progress/);
  assert.equal((await resume({})).status, 401);
  const alices = await resume(alice);
  assert.ok([200, 204].includes(alices.status), `alice's resume answered ${alices.status}`);
  await alices.body?.cancel();

  await transport.terminateSession();
  await client.close();
});
