// The session console: sessions, one session's log, the feed and the store's health, live, through the HTTP API
// alone. Whatever the server sends is inserted as text (textContent), never as markup.
'use strict';

(() => {
  const base = document.body.dataset.base;
  const actuator = document.body.dataset.actuator;
  const main = document.getElementById('main');
  const feedStatus = document.getElementById('feed-status');

  const PAGE = 50; // sessions per page; events per "load older"
  const LOG_ROWS = 2000; // event rows an open log keeps (the oldest go; "load older" brings them back)
  const FEED_ROWS = 200; // entries the feed view keeps
  const enc = encodeURIComponent;
  const api = (path) => base + path;

  // ---- DOM and formatting

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function time(iso) {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return iso ? String(iso) : '';
    const pad = (n, width = 2) => String(n).padStart(width, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
      + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  }

  const timeCell = (iso, wide) => el('td', { class: wide ? 'mono wide' : 'mono', title: iso || '' }, time(iso));
  const pretty = (value) => JSON.stringify(value, null, 2);

  function preview(value, max = 160) {
    const text = (typeof value === 'string') ? value : JSON.stringify(value);
    if (text === undefined) return '';
    return text.length > max ? `${text.slice(0, max)}…` : text;
  }

  function copyButton(text) {
    const button = el('button', { type: 'button' }, 'Copy');
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        // No clipboard (a page served over plain http elsewhere than localhost): select the text instead.
        const range = document.createRange();
        range.selectNodeContents(button.previousElementSibling);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
    });
    return button;
  }

  const jsonBlock = (value) => [el('pre', {}, pretty(value)), copyButton(pretty(value))];

  // ---- HTTP

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
      this.status = status;
    }
  }

  async function failure(response) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not problem+json
    }
    return new ApiError(response.status, problem);
  }

  async function getJson(url, signal, acceptError = false) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, signal, cache: 'no-store' });
    if (!response.ok && !acceptError) throw await failure(response);
    return response.json();
  }

  function delay(ms, signal) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
  }

  // Follows a text/event-stream over fetch (EventSource dispatches only event names known in advance, and a log's
  // types are the application's) and, like EventSource, resumes from the last id after a drop, until the server ends
  // it for good, onEvent returns false, or the signal aborts (which closes the connection, freeing its server side).
  // onState gets 'connecting', 'open', 'reconnecting', 'resumed' or 'ended' with the last id.
  async function follow(url, signal, onEvent, onState) {
    let lastEventId = null;
    let retry = 3000;
    let failures = 0;
    let opened = false;
    while (!signal.aborted) {
      try {
        const headers = { Accept: 'text/event-stream' };
        if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(url, { headers, signal, cache: 'no-store' });
        if (!response.ok) {
          const error = await failure(response);
          if (response.status < 500 && response.status !== 429) {
            onState('ended', lastEventId, error);
            return;
          }
          throw error;
        }
        onState(opened ? 'resumed' : 'open', lastEventId);
        opened = true;
        failures = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let data = [];
        let type = '';
        let id = null;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.search(/[\r\n]/); end >= 0; end = buffer.search(/[\r\n]/)) {
            if (buffer[end] === '\r' && end === buffer.length - 1) break; // maybe the first half of \r\n
            const line = buffer.slice(0, end);
            buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
            if (line === '') {
              if (data.length > 0 && onEvent({ type: type || 'message', data: data.join('\n'), id }) === false) {
                await reader.cancel();
                return;
              }
              data = [];
              type = '';
              id = null;
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const fieldValue = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
            if (field === 'data') data.push(fieldValue);
            else if (field === 'event') type = fieldValue;
            else if (field === 'id' && !fieldValue.includes('\0')) {
              id = fieldValue;
              lastEventId = fieldValue;
            } else if (field === 'retry' && /^\d+$/.test(fieldValue)) retry = Number(fieldValue);
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
      }
      onState('reconnecting', lastEventId);
      try {
        await delay(retry * Math.min(2 ** Math.max(failures - 1, 0), 4), signal);
      } catch {
        return;
      }
    }
  }

  // ---- The feed: one stream for the whole page, from its latest entry on; views listen to it

  const feed = {
    listeners: new Set(),
    recent: [], // the last FEED_ROWS entries and markers, oldest first
    state: 'connecting',

    keep(item) {
      this.recent.push(item);
      if (this.recent.length > FEED_ROWS) this.recent.shift();
      for (const listener of this.listeners) listener(item);
    },

    async start(signal) {
      let after;
      try {
        const head = await getJson(api('/feed?limit=1'), signal);
        const recent = await getJson(api(`/feed?limit=${FEED_ROWS}&after=${Math.max(0, head.latest - FEED_ROWS)}`), signal);
        recent.entries.forEach((entry) => this.keep({ entry }));
        after = recent.nextCursor;
      } catch (error) {
        if (!signal.aborted) this.show('off', error.message);
        return;
      }
      await follow(api(`/feed/stream?after=${after}`), signal, (message) => {
        if (message.type === 'reset') this.keep({ marker: resetText(JSON.parse(message.data)) });
        else this.keep({ entry: JSON.parse(message.data) });
      }, (state, lastId, error) => {
        if (state === 'reconnecting') this.keep({ marker: `Connection lost after ${lastId ?? 'the start'}; reconnecting` });
        if (state === 'resumed') this.keep({ marker: `Resumed after ${lastId ?? 'the start'}` });
        this.show(state, error && error.message);
      });
    },

    show(state, detail) {
      this.state = state;
      const words = { connecting: 'connecting', open: 'live', resumed: 'live', reconnecting: 'reconnecting', ended: 'ended', off: 'unavailable' };
      feedStatus.textContent = `Feed: ${words[state] || state}${detail ? ` (${detail})` : ''}`;
    },

    listen(signal, listener) {
      this.listeners.add(listener);
      signal.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
    },
  };

  function resetText(reset) {
    return `Reset (${reset.reason}): earliest retained ${reset.earliestRetained}, latest ${reset.latest}, epoch ${reset.epoch}`;
  }

  // ---- Views, one at a time; leaving one aborts its requests and streams

  let current = null;

  function route() {
    if (current) current.abort();
    current = new AbortController();
    const signal = current.signal;
    const hash = location.hash || '#/sessions';
    for (const link of document.querySelectorAll('nav a')) {
      const active = hash === link.getAttribute('href') || (hash.startsWith('#/session/') && link.dataset.view === 'sessions');
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    main.replaceChildren();
    const show = hash.startsWith('#/session/') ? () => sessionView(decodeURIComponent(hash.slice('#/session/'.length)), signal)
      : hash === '#/feed' ? () => feedView(signal)
        : hash === '#/store' ? () => storeView(signal)
          : () => sessionsView(signal);
    show().catch((error) => {
      if (!signal.aborted) main.append(el('p', { class: 'error', role: 'alert' }, error.message));
    });
  }

  // ---- Sessions: a page of them, filtered, kept current by the feed

  async function sessionsView(signal) {
    const rows = new Map();
    const cursors = [null];
    let index = 0;
    let nextCursor = null;
    let unseen = 0;
    const filter = el('input', { type: 'search', id: 'session-filter', placeholder: 'id, principal, protocol' });
    const initialized = el('select', { id: 'session-initialized' },
      el('option', { value: '' }, 'any'), el('option', { value: 'yes' }, 'initialized'), el('option', { value: 'no' }, 'not initialized'));
    const previous = el('button', { type: 'button' }, 'Previous page');
    const next = el('button', { type: 'button' }, 'Next page');
    const notice = el('p', { class: 'notice', hidden: true, role: 'status' });
    const body = el('tbody');
    main.append(el('h2', {}, 'Sessions'),
      el('div', { class: 'toolbar' }, el('label', {}, 'Filter', filter), el('label', {}, 'State', initialized)),
      notice,
      el('div', { class: 'scroll' }, el('table', { id: 'sessions' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Id'), el('th', {}, 'Created'), el('th', {}, 'Last activity'),
          el('th', { class: 'wide' }, 'Expires'), el('th', {}, 'Initialized'), el('th', { class: 'wide' }, 'Protocol'),
          el('th', {}, 'Principal'), el('th', {}, 'Events'))),
        body)),
      el('div', { class: 'toolbar' }, previous, next));

    const matches = (row) => {
      const text = filter.value.trim().toLowerCase();
      const s = row.session;
      return (!text || [s.id, s.principal, s.protocolVersion].some((v) => v && v.toLowerCase().includes(text)))
        && (!initialized.value || (initialized.value === 'yes') === s.initialized);
    };
    const applyFilter = () => rows.forEach((row) => { row.tr.hidden = !matches(row); });
    filter.addEventListener('input', applyFilter);
    initialized.addEventListener('change', applyFilter);

    // The id cell, with its link, stays put: a live update must not take the focus from a keyboard user.
    function render(row) {
      const s = row.session;
      const count = row.latest === undefined ? '…' : Math.max(0, row.latest - row.earliest + 1);
      if (!row.tr.firstChild) row.tr.append(el('td', { class: 'mono' }, el('a', { href: `#/session/${enc(s.id)}` }, s.id)));
      while (row.tr.children.length > 1) row.tr.lastChild.remove();
      row.tr.append(
        timeCell(s.createdAt), timeCell(s.lastActivity), timeCell(s.expiresAt, true),
        el('td', {}, row.ended || (s.initialized ? 'yes' : 'no')), el('td', { class: 'wide' }, s.protocolVersion || ''),
        el('td', {}, s.principal || ''), el('td', { class: 'num' }, count));
      row.tr.hidden = !matches(row);
    }

    function add(session, fresh) {
      const row = { session, tr: el('tr', { 'data-id': session.id, class: fresh ? 'fresh' : null }) };
      rows.set(session.id, row);
      render(row);
      body.append(row.tr);
      return row;
    }

    async function count(row) {
      try {
        const position = await getJson(api(`/${enc(row.session.id)}/events/latest`), signal);
        row.earliest = position.earliestRetained;
        row.latest = Math.max(row.latest ?? 0, position.latest);
      } catch (error) {
        if (signal.aborted) return;
        row.earliest = 1;
        row.latest = 0;
      }
      render(row);
    }

    async function load() {
      const after = cursors[index];
      const page = await getJson(api(`?limit=${PAGE}${after ? `&after=${enc(after)}` : ''}`), signal);
      rows.clear();
      body.replaceChildren();
      page.sessions.forEach((session) => add(session, false));
      nextCursor = page.nextCursor;
      previous.disabled = index === 0;
      next.disabled = nextCursor === null;
      unseen = 0;
      notice.hidden = true;
      await Promise.all([...rows.values()].map(count));
    }

    const reload = () => load().catch((error) => {
      if (signal.aborted) return;
      notice.textContent = `Could not load the sessions: ${error.message}`;
      notice.hidden = false;
    });
    previous.addEventListener('click', () => { index -= 1; reload(); });
    next.addEventListener('click', () => { cursors[index + 1] = nextCursor; index += 1; reload(); });

    feed.listen(signal, ({ entry }) => {
      if (!entry) return;
      const row = rows.get(entry.sessionId);
      if (entry.type === 'session.created' && !row) {
        if (nextCursor === null && rows.size < PAGE) {
          const added = add(entry.session, true);
          added.latest = 0;
          added.earliest = 1;
          render(added);
        } else {
          unseen += 1;
          notice.textContent = `${unseen} session(s) created since this page was loaded: they are on the last page.`;
          notice.hidden = false;
        }
      } else if (row && entry.type === 'session.updated') {
        row.session = entry.session;
        render(row);
      } else if (row && (entry.type === 'session.deleted' || entry.type === 'session.expired')) {
        row.ended = entry.type.slice('session.'.length);
        row.tr.classList.add('ended');
        render(row);
      } else if (row && entry.type === 'event.appended') {
        row.latest = Math.max(row.latest ?? 0, entry.event.seq);
        row.session = { ...row.session, lastActivity: entry.timestamp };
        render(row);
      }
    });
    await load();
  }

  // ---- One session: its record, state and log, the log following its stream

  async function sessionView(id, signal) {
    const path = `/${enc(id)}`;
    main.append(el('p', {}, el('a', { href: '#/sessions' }, '← Sessions')), el('h2', {}, `Session ${id}`));
    let session;
    try {
      session = await getJson(api(path), signal);
    } catch (error) {
      main.append(el('p', { class: 'error', role: 'alert' }, error.status === 404 ? 'No such session.' : error.message));
      return;
    }
    const meta = el('section', { 'aria-label': 'Session' });
    const state = el('section', { 'aria-label': 'State' });
    const renderMeta = (s, ended) => {
      meta.replaceChildren(el('dl', { class: 'meta' }, [
        ['Id', s.id], ['Principal', s.principal || '(anonymous)'], ['Created', time(s.createdAt)],
        ['Last activity', time(s.lastActivity)], ['Expires', ended || time(s.expiresAt)],
        ['Initialized', s.initialized ? 'yes' : 'no'], ['Protocol version', s.protocolVersion || '']
      ].map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
      el('div', { class: 'grid' },
        el('details', {}, el('summary', {}, 'Client capabilities'), jsonBlock(s.clientCapabilities ?? null)),
        el('details', {}, el('summary', {}, 'Server capabilities'), jsonBlock(s.serverCapabilities ?? null)),
        el('details', {}, el('summary', {}, 'Metadata'), jsonBlock(s.metadata ?? {}))));
    };
    renderMeta(session);

    const loadState = async () => {
      const values = await getJson(api(`${path}/state`), signal);
      const keys = Object.keys(values);
      state.replaceChildren(el('h3', {}, 'State ', el('button', { type: 'button', onclick: () => loadState().catch(() => {}) }, 'Refresh')),
        keys.length === 0 ? el('p', { class: 'muted' }, 'No state.')
          : el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Key'), el('th', {}, 'Value'))),
            el('tbody', {}, keys.map((key) => el('tr', {}, el('td', { class: 'mono' }, key), el('td', {}, el('pre', {}, pretty(values[key])))))))));
    };

    // The log: a window [oldest, ...] of seqs, the stream appending below, "load older" prepending above.
    const position = await getJson(api(`${path}/events/latest`), signal);
    const from = Math.max(position.earliestRetained - 1, position.latest - PAGE, 0);
    let oldest = from + 1;
    let earliest = position.earliestRetained;
    const typeFilter = el('input', { type: 'search', id: 'log-type', placeholder: 'type' });
    const runFilter = el('input', { type: 'search', id: 'log-run', placeholder: 'run id' });
    const older = el('button', { type: 'button', id: 'load-older' }, 'Load older');
    const streamState = el('span', { class: 'badge connecting', id: 'stream-state' }, 'connecting');
    const body = el('tbody');
    const scroller = el('div', { class: 'scroll log' }, el('table', { id: 'log' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Seq'), el('th', {}, 'Time'), el('th', {}, 'Type'), el('th', { class: 'wide' }, 'Run'),
        el('th', { class: 'wide' }, 'Id'), el('th', {}, 'Data'), el('th', {}, ''))),
      body));
    main.append(meta, state, el('h3', {}, 'Event log ', streamState),
      el('div', { class: 'toolbar' }, el('label', {}, 'Type', typeFilter), el('label', {}, 'Run id', runFilter), older),
      scroller);
    loadState().catch((error) => state.replaceChildren(el('p', { class: 'error' }, error.message)));
    older.disabled = oldest <= earliest;

    const visible = (tr) => (!typeFilter.value || tr.dataset.type === typeFilter.value)
      && (!runFilter.value || tr.dataset.run === runFilter.value);
    const refilter = () => {
      for (const tr of body.querySelectorAll('tr[data-type]')) {
        tr.hidden = !visible(tr);
        if (tr.hidden) tr.detail.hidden = true;
      }
      older.disabled = oldest <= earliest;
    };
    typeFilter.addEventListener('input', refilter);
    runFilter.addEventListener('input', refilter);

    function eventRow(event, ephemeral) {
      const detail = el('tr', { class: 'detail', hidden: true }, el('td', { colspan: 7 }, jsonBlock(event)));
      const toggle = el('button', { type: 'button', 'aria-expanded': 'false' }, 'JSON');
      toggle.addEventListener('click', () => {
        detail.hidden = !detail.hidden;
        toggle.setAttribute('aria-expanded', String(!detail.hidden));
      });
      const tr = el('tr', { 'data-seq': ephemeral ? null : event.seq, 'data-ephemeral': ephemeral || null, 'data-type': event.type, 'data-run': event.runId || '' },
        el('td', { class: 'num' }, ephemeral ? 'ephemeral' : event.seq), timeCell(event.timestamp), el('td', { class: 'mono' }, event.type),
        el('td', { class: 'mono wide' }, event.runId || ''), el('td', { class: 'mono wide' }, event.id || ''),
        el('td', { class: 'mono preview' }, preview(event.data)), el('td', {}, toggle));
      tr.hidden = !visible(tr);
      tr.detail = detail;
      return [tr, detail];
    }

    const marker = (text) => el('tr', { class: 'marker' }, el('td', { colspan: 7, role: 'status' }, text));

    function below(...trs) {
      const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      body.append(...trs);
      let rows = body.querySelectorAll('tr[data-seq]');
      while (rows.length > LOG_ROWS) {
        const first = body.firstElementChild;
        if (first.detail) first.detail.remove();
        first.remove();
        rows = body.querySelectorAll('tr[data-seq]');
        oldest = Number(rows[0].dataset.seq);
      }
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
      older.disabled = oldest <= earliest;
    }

    older.addEventListener('click', async () => {
      older.disabled = true;
      const before = oldest;
      const after = Math.max(earliest - 1, before - 1 - PAGE, 0);
      const found = [];
      let cursor = after;
      try {
        while (cursor < before - 1) {
          const query = `after=${cursor}&before=${before}&limit=${PAGE}${typeFilter.value ? `&type=${enc(typeFilter.value)}` : ''}`
            + `${runFilter.value ? `&runId=${enc(runFilter.value)}` : ''}`;
          const page = await getJson(api(`${path}/events?${query}`), signal);
          earliest = page.earliestRetained;
          found.push(...page.events);
          if (page.nextCursor <= cursor) break;
          cursor = page.nextCursor;
        }
      } catch (error) {
        body.prepend(marker(`Could not load older events: ${error.message}`));
        older.disabled = false;
        return;
      }
      oldest = Math.max(after + 1, earliest);
      body.prepend(...found.flatMap((event) => eventRow(event, false)));
      older.disabled = oldest <= earliest;
    });

    const showState = (text, kind) => {
      streamState.textContent = text;
      streamState.className = `badge ${kind}`;
    };
    let dropped = false;
    follow(api(`${path}/events/stream?after=${from}`), signal, (message) => {
      if (message.type === 'reset') {
        const reset = JSON.parse(message.data);
        earliest = reset.earliestRetained;
        below(marker(resetText(reset)));
        return true;
      }
      if (message.type === 'session.closed') {
        const closed = JSON.parse(message.data);
        below(marker(`Session ended: ${closed.reason}`));
        renderMeta(session, closed.reason);
        showState(`ended (${closed.reason})`, 'ended');
        return false;
      }
      below(...eventRow(JSON.parse(message.data), message.id === null));
      return true;
    }, (streamStateName, lastId, error) => {
      if (streamStateName === 'open') showState('live', 'open');
      if (streamStateName === 'reconnecting') {
        if (!dropped) below(marker(`Connection lost after ${lastId ?? 'the start'}; reconnecting`));
        dropped = true;
        showState('reconnecting', 'reconnecting');
      }
      if (streamStateName === 'resumed') {
        dropped = false;
        below(marker(`Stream resumed after ${lastId ?? 'the start'}`));
        showState('live', 'open');
      }
      if (streamStateName === 'ended') {
        below(marker(`Stream ended: ${error ? error.message : 'closed'}`));
        showState('ended', 'ended');
      }
    });

    feed.listen(signal, ({ entry }) => {
      if (entry && entry.sessionId === session.id && entry.type === 'session.updated') {
        session = entry.session;
        renderMeta(session);
      }
    });
  }

  // ---- The feed: its most recent entries, newest first, and every new one as it comes

  async function feedView(signal) {
    const typeFilter = el('select', { id: 'feed-type' }, el('option', { value: '' }, 'all'),
      ['session.created', 'session.updated', 'session.deleted', 'session.expired', 'event.appended'].map((type) => el('option', { value: type }, type)));
    const sessionFilter = el('input', { type: 'search', id: 'feed-session', placeholder: 'session id' });
    const body = el('tbody');
    main.append(el('h2', {}, 'Feed'),
      el('p', { class: 'muted' }, `The last ${FEED_ROWS} entries you may see, newest first, as they are numbered.`),
      el('div', { class: 'toolbar' }, el('label', {}, 'Type', typeFilter), el('label', {}, 'Session', sessionFilter)),
      el('div', { class: 'scroll' }, el('table', { id: 'feed' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Seq'), el('th', {}, 'Time'), el('th', {}, 'Type'), el('th', {}, 'Session'), el('th', {}, 'Detail'))),
        body)));
    const visible = (tr) => !tr.dataset.type
      || ((!typeFilter.value || tr.dataset.type === typeFilter.value) && (!sessionFilter.value || tr.dataset.session.includes(sessionFilter.value)));
    const refilter = () => body.querySelectorAll('tr').forEach((tr) => { tr.hidden = !visible(tr); });
    typeFilter.addEventListener('change', refilter);
    sessionFilter.addEventListener('input', refilter);

    function row({ entry, marker }, fresh) {
      if (marker) return el('tr', { class: 'marker' }, el('td', { colspan: 5 }, marker));
      const detail = entry.event ? `${entry.event.seq} ${entry.event.type}: ${preview(entry.event.data, 100)}`
        : entry.session ? `initialized: ${entry.session.initialized ? 'yes' : 'no'}${entry.session.protocolVersion ? `, ${entry.session.protocolVersion}` : ''}` : '';
      const tr = el('tr', { 'data-type': entry.type, 'data-session': entry.sessionId, class: fresh ? 'fresh' : null },
        el('td', { class: 'num' }, entry.seq), timeCell(entry.timestamp), el('td', { class: 'mono' }, entry.type),
        el('td', { class: 'mono' }, el('a', { href: `#/session/${enc(entry.sessionId)}` }, entry.sessionId)),
        el('td', { class: 'mono preview' }, detail));
      tr.hidden = !visible(tr);
      return tr;
    }
    body.append(...feed.recent.map((item) => row(item, false)).reverse());
    feed.listen(signal, (item) => {
      body.prepend(row(item, true));
      while (body.children.length > FEED_ROWS) body.lastElementChild.remove();
    });
  }

  // ---- The store: health and the mcp.session.* meters, from the actuator where this page can reach it

  async function storeView(signal) {
    main.append(el('h2', {}, 'Store'));
    if (!actuator) {
      main.append(el('p', { class: 'notice' }, 'The actuator is not reachable from this page (not on the class path, or on another port).'));
      return;
    }
    const health = el('section', { 'aria-label': 'Health' });
    const meters = el('section', { 'aria-label': 'Meters' });
    main.append(health, meters, el('p', { class: 'muted' }, 'Refreshed every 5 seconds.'));
    for (;;) {
      await Promise.all([showHealth(health, signal), showMeters(meters, signal)]);
      await delay(5000, signal);
    }
  }

  async function showHealth(section, signal) {
    try {
      const status = await getJson(`${actuator}/health`, signal, true);
      const components = Object.entries(status.components || {});
      const store = (status.components || {}).mcpSession;
      section.replaceChildren(el('h3', {}, 'Health ', el('span', { class: `badge ${status.status}` }, status.status)),
        el('div', { class: 'scroll' }, el('table', { id: 'health' }, el('thead', {}, el('tr', {}, el('th', {}, 'Component'), el('th', {}, 'Status'))),
          el('tbody', {}, components.map(([name, component]) => el('tr', {}, el('td', {}, name),
            el('td', {}, el('span', { class: `badge ${component.status}` }, component.status))))))),
        ...(store && store.details ? [el('h3', {}, 'The store (mcpSession)'), el('div', { id: 'store-details' }, jsonBlock(store.details))] : []));
    } catch (error) {
      if (!signal.aborted) section.replaceChildren(el('p', { class: 'notice' }, `Health is not exposed here (${error.message}).`));
    }
  }

  async function showMeters(section, signal) {
    try {
      const names = (await getJson(`${actuator}/metrics`, signal)).names.filter((name) => name.startsWith('mcp.session.')).sort();
      const meters = await Promise.all(names.map((name) => getJson(`${actuator}/metrics/${enc(name)}`, signal)));
      section.replaceChildren(el('h3', {}, 'Meters'),
        meters.length === 0 ? el('p', { class: 'muted' }, 'No mcp.session meters yet.')
          : el('div', { class: 'scroll' }, el('table', { id: 'meters' },
            el('thead', {}, el('tr', {}, el('th', {}, 'Meter'), el('th', {}, 'Measurements'), el('th', { class: 'wide' }, 'Tags'))),
            el('tbody', {}, meters.map((meter) => el('tr', {}, el('td', { class: 'mono' }, meter.name),
              el('td', { class: 'mono' }, meter.measurements.map((m) => `${m.statistic.toLowerCase()} ${Number(m.value.toFixed(3))}`).join(', ')),
              el('td', { class: 'mono wide' }, (meter.availableTags || []).map((tag) => `${tag.tag}: ${tag.values.join(' ')}`).join('; '))))))));
    } catch (error) {
      if (!signal.aborted) section.replaceChildren(el('p', { class: 'notice' }, `Metrics are not exposed here (${error.message}).`));
    }
  }

  // ---- Start

  const page = new AbortController();
  window.addEventListener('pagehide', () => {
    page.abort();
    if (current) current.abort();
  });
  window.addEventListener('hashchange', route);
  feed.start(page.signal);
  route();
})();
