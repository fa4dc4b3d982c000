// Protocol revision 2026-07-28 across instances of the sample app on one PostgreSQL: a change made on one instance
// reaches a subscriptions/listen stream on another, a task made through one is polled to its end through another,
// and a task whose instance is killed fails instead of staying "working".
// Run by .ci/mcp-clients with SAMPLE_JAR (the sample app's jar) and WORK_DIR (logs) set.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { Instance } from './resume-support.mjs';

const workDir = join(process.env.WORK_DIR ?? 'target/resume', 'modern');
mkdirSync(workDir, { recursive: true });

const VERSION = '2026-07-28';
const TASKS = 'io.modelcontextprotocol/tasks';
// How long a test waits for the state it expects before it fails; never a pause.
const DEADLINE_MS = 120_000;

const started = [];
after(async () => Promise.all(started.map((instance) => instance.kill('SIGKILL'))));

async function instance(name) {
  const started_ = await Instance.start({ name, dir: workDir, profiles: 'postgres' });
  started.push(started_);
  return started_;
}

const [a, b] = await Promise.all([instance('a'), instance('b')]);

function meta(extensions = {}) {
  return {
    'io.modelcontextprotocol/protocolVersion': VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'modern-test', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': { extensions },
  };
}

let nextId = 1;

/** Sends one 2026-07-28 request; answers its JSON-RPC response (read from JSON or from an SSE stream). */
async function request(target, method, params, name) {
  const response = await post(target, method, params, name);
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    for await (const message of messages(response)) {
      if ('result' in message || 'error' in message) {
        return message;
      }
    }
    throw new Error(`${method}: the stream ended without a response`);
  }
  return response.json();
}

function post(target, method, params, name, signal) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': VERSION,
    'mcp-method': method,
  };
  if (name) {
    headers['mcp-name'] = name;
  }
  return fetch(new URL('/mcp', target.url), {
    method: 'POST', headers, signal,
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
}

/** The JSON-RPC messages of an SSE response, as they arrive. */
async function* messages(response) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart()).join('\n');
      if (data) {
        yield JSON.parse(data);
      }
    }
  }
}

async function callTool(target, name, args, extensions) {
  const answer = await request(target, 'tools/call', { name, arguments: args, _meta: meta(extensions) }, name);
  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
  return answer.result;
}

async function tasksGet(target, taskId) {
  const answer = await request(target, 'tasks/get', { taskId, _meta: meta({ [TASKS]: {} }) }, taskId);
  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
  return answer.result;
}

/** Polls the task on `target` at its poll interval until `done` holds; fails after the deadline. */
async function pollUntil(target, taskId, done) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const task = await tasksGet(target, taskId);
    if (done(task)) {
      return task;
    }
    assert.ok(Date.now() < deadline, `task ${taskId} is still ${task.status} after ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, task.pollIntervalMs));
  }
}

test('a tools/list_changed made on A reaches a listener on B', async () => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), DEADLINE_MS);
  const heard = [];
  try {
    const response = await post(b, 'subscriptions/listen',
      { notifications: { toolsListChanged: true }, _meta: meta() }, undefined, abort.signal);
    assert.equal(response.status, 200);
    const stream = messages(response);
    const next = async () => {
      const { value, done } = await stream.next();
      assert.ok(!done, `the listen stream ended after ${JSON.stringify(heard)}`);
      heard.push(value.method);
      return value.method;
    };
    // The stream is listening once B acknowledges the subscription: a change after that must reach it.
    while (await next() !== 'notifications/subscriptions/acknowledged') {
      // other messages before the acknowledgement
    }
    const changed = await callTool(a, 'test_trigger_tool_change', {});
    assert.equal(changed.content[0].text, 'Mutation triggered');
    while (await next() !== 'notifications/tools/list_changed') {
      // other notifications before the change
    }
  }
  finally {
    clearTimeout(timer);
    abort.abort();
  }
  assert.deepEqual(heard, ['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
});

test('a task made through A is polled to its result through B', async () => {
  const created = await callTool(a, 'count_slowly', { count: 20, intervalMs: 100 }, { [TASKS]: {} });
  assert.equal(created.resultType, 'task');
  assert.equal(created.status, 'working');
  const seenOnB = await tasksGet(b, created.taskId);
  assert.equal(seenOnB.taskId, created.taskId);
  const done = await pollUntil(b, created.taskId, (task) => task.status !== 'working');
  assert.equal(done.status, 'completed');
  assert.equal(done.result.content[0].text, 'counted to 20');
});

test('a task cancelled through B reads cancelled through A', async () => {
  const created = await callTool(a, 'count_slowly', { count: 600, intervalMs: 100 }, { [TASKS]: {} });
  const ack = await request(b, 'tasks/cancel', { taskId: created.taskId, _meta: meta({ [TASKS]: {} }) },
    created.taskId);
  assert.deepEqual(ack.result.resultType, 'complete');
  const cancelled = await tasksGet(a, created.taskId);
  assert.equal(cancelled.status, 'cancelled');
});

test('a task whose instance is killed fails within the lease instead of staying working', async () => {
  const c = await instance('c');
  const created = await callTool(c, 'count_slowly', { count: 600, intervalMs: 100 }, { [TASKS]: {} });
  assert.equal((await tasksGet(b, created.taskId)).status, 'working');
  const exit = await c.kill('SIGKILL');
  assert.equal(exit.signal, 'SIGKILL');
  const failed = await pollUntil(b, created.taskId, (task) => task.status !== 'working');
  assert.equal(failed.status, 'failed');
  assert.equal(typeof failed.error.code, 'number');
  assert.match(failed.error.message, /instance/);
  assert.equal(failed.result, undefined);
});
