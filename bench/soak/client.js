'use strict';
// The soak run's load (issue 28, ./lockin soak): an evening of LockIN through nginx, for
// MINUTES minutes, with Node.js's built-in modules only.
//
//   node bench/soak/client.js CONFIG.json
//
// CONFIG: {"base": nginx's URL, "tokens": a file of development tokens (one a line, one a
// person), "group_size": people a group, "minutes": the load's length, "out": where to write}.
//
// Setup: every person reads /api/me (their profile); the first of every GROUP_SIZE people makes
// a daily group and a join link, the others join by it.
//
// Load, each person on their own, at the pace of a phone in someone's evening, compressed (focus
// blocks of 1-4 minutes, 30-120 s between them, where an evening has 25-50 minute blocks):
//   - clock cycles on their group's sessions: create, start, run, sometimes a pause and a resume
//     dated by the device up to 30 s back (an app that was offline), stop (a quarter of the time
//     from both devices at once, the second finding the session with ?status=running), and the
//     pause's gap logged by hand afterwards (a log sent late);
//   - board reads while the app is open, history, stats, their groups and inbox now and then;
//   - two streams each (the group's board and their own news), reconnected as an app does
//     (Last-Event-ID, back-off) whenever they end or are cut;
//   - now and then an owner makes a join link that someone from another group uses, or invites
//     someone who accepts.
// Every write carries an Idempotency-Key and is retried with it after a lost answer, a 5xx or a
// 429 (as the app does) for up to 90 s; what was acknowledged (2xx) is written to acks.tsv for
// the run's SQL checks.
//
// Wind-down: the people stop their sessions (acknowledged stops), streams stay open; after 5 s
// without writes each board stream's last board is compared with GET .../progress/current, and
// each stream must be open and have had its first event since its last (re)connection.
//
// Written to OUT: seconds.tsv (a line a second: epoch, requests, p50 and p99 ms, 5xx, network
// errors, 429, other unexpected 4xx, open streams, reconnections), errors.tsv (each 5xx, network
// error and unexpected answer: epoch, method, path, status or error, upstream, body's start),
// acks.tsv (kind, ids...), people.tsv (token's line, profile id, group), result.json.

const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { sseParser } = require('../sse.js');

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const base = new URL(cfg.base);
const tokens = fs.readFileSync(cfg.tokens, 'utf8').split('\n').filter(Boolean);
const GROUP_SIZE = cfg.group_size || 8;
let END = Infinity;   // the load's end: MINUTES after the setup
const OUT = cfg.out;

const agent = new http.Agent({ keepAlive: true, maxSockets: 96 });
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const sleep = ms => new Promise(r => setTimeout(r, ms));
const rand = (a, b) => a + Math.random() * (b - a);
const pick = xs => xs[Math.floor(Math.random() * xs.length)];
const iso = ms => new Date(ms).toISOString();

const acks = fs.createWriteStream(path.join(OUT, 'acks.tsv'));
const errors = fs.createWriteStream(path.join(OUT, 'errors.tsv'));
const seconds = fs.createWriteStream(path.join(OUT, 'seconds.tsv'));
seconds.write('epoch\trequests\tp50_ms\tp99_ms\tstatus_5xx\tnetwork_errors\tstatus_429\tunexpected_4xx\tstreams_open\treconnections\n');
const ack = (...fields) => acks.write([...fields, '', '', '', ''].slice(0, 5).join('\t') + '\n');

// ------------------------------------------------------------------ what each second saw
let second = null;
const totals = { requests: 0, s5xx: 0, net: 0, s429: 0, unexpected: 0, reconnections: 0 };
function bucket() {
  const now = Math.floor(Date.now() / 1000);
  if (!second || second.epoch !== now) {
    if (second) flush(second);
    second = { epoch: now, lat: [], s5xx: 0, net: 0, s429: 0, unexpected: 0, reconnections: 0 };
  }
  return second;
}
function flush(s) {
  s.lat.sort((a, b) => a - b);
  const q = p => (s.lat.length ? s.lat[Math.min(s.lat.length - 1, Math.floor(p * s.lat.length))].toFixed(1) : '');
  seconds.write([s.epoch, s.lat.length, q(0.5), q(0.99), s.s5xx, s.net, s.s429, s.unexpected,
    streams.filter(x => x.open).length, s.reconnections].join('\t') + '\n');
}
setInterval(bucket, 250).unref();

function note(method, p, what, upstream, body) {
  errors.write([(Date.now() / 1000).toFixed(3), method, p, what, upstream || '',
    String(body || '').slice(0, 160).replace(/\s+/g, ' ')].join('\t') + '\n');
}

// ------------------------------------------------------------------ requests
// One HTTP exchange: {status, body, json, upstream} or {status: 0, error}.
function exchange(token, method, p, body, headers = {}) {
  return new Promise(resolve => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const h = { Authorization: 'Bearer ' + token, Accept: 'application/json', ...headers };
    if (data) { h['Content-Type'] = 'application/json'; h['Content-Length'] = data.length; }
    const req = http.request({ host: base.hostname, port: base.port, method, path: p, headers: h, agent, timeout: 20_000 }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { /* a problem from nginx may be HTML */ }
        resolve({ status: res.statusCode, body: text, json, upstream: res.headers['x-lockin-upstream'],
          retryAfter: Number(res.headers['retry-after']) || 0 });
      });
      res.on('error', e => resolve({ status: 0, error: e.code || e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', e => resolve({ status: 0, error: e.code || e.message }));
    if (data) req.write(data);
    req.end();
  });
}

// A request, counted; EXPECTED: statuses other than 2xx the caller takes as an answer (e.g. 409).
async function call(token, method, p, body, expected = [], headers = {}) {
  const t0 = process.hrtime.bigint();
  const r = await exchange(token, method, p, body, headers);
  const s = bucket();
  totals.requests++;
  s.lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status === 0) { s.net++; totals.net++; note(method, p, r.error); }
  else if (r.status >= 500) { s.s5xx++; totals.s5xx++; note(method, p, r.status, r.upstream, r.body); }
  else if (r.status === 429) { s.s429++; totals.s429++; }
  else if (r.status >= 400 && !expected.includes(r.status)) {
    s.unexpected++; totals.unexpected++; note(method, p, r.status, r.upstream, r.body);
  }
  return r;
}

// A write as the app sends it (a GET of setup alike, without the key): one Idempotency-Key, retried
// after a lost answer, a 5xx or a 429, after Retry-After when given, else with back-off and jitter,
// for up to 90 s. The final answer.
async function write(token, method, p, body, expected = []) {
  const key = crypto.randomUUID();
  const giveUp = Date.now() + 90_000;
  for (let attempt = 0; ; attempt++) {
    const r = await call(token, method, p, body, expected, method === 'GET' ? {} : { 'Idempotency-Key': key });
    const retry = r.status === 0 || r.status >= 500 || r.status === 429;
    if (!retry || Date.now() > giveUp) return r;
    await sleep(r.retryAfter > 0 ? r.retryAfter * 1000 : Math.min(8000, 250 * 2 ** attempt) * rand(0.5, 1.5));
  }
}

// ------------------------------------------------------------------ streams
const streams = [];
let stopStreams = false;
function openStream(person, kind, p) {
  const st = { person, kind, open: false, lastId: null, connectedAt: 0, firstSince: false,
    lastBoard: null, lastBoardAt: 0, connections: 0 };
  streams.push(st);
  const connect = () => {
    if (stopStreams) return;
    const headers = { Authorization: 'Bearer ' + person.token, Accept: 'text/event-stream' };
    if (st.lastId) headers['Last-Event-ID'] = st.lastId;
    const req = http.request({ host: base.hostname, port: base.port, path: p, headers, agent: streamAgent }, res => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', () => again(res.statusCode));
        return;
      }
      st.open = true; st.connectedAt = Date.now(); st.firstSince = false; st.connections++;
      if (st.connections > 1) { bucket().reconnections++; totals.reconnections++; }
      res.setEncoding('utf8');
      const feed = sseParser((event, data, id) => {
        if (id !== null) st.lastId = id;
        st.firstSince = true;
        if (event === 'leaderboard') { st.lastBoard = data; st.lastBoardAt = Date.now(); }
      }, comment => { if (comment === 'connected') st.firstSince = true; });
      res.on('data', chunk => feed(chunk));
      res.on('end', () => { st.open = false; again(200); });
      res.on('error', () => { st.open = false; again(0); });
    });
    req.on('error', () => { st.open = false; again(0); });
    req.end();
  };
  // as an app: at once after a clean end (e.g. shutting_down), with back-off and jitter otherwise
  const again = status => {
    if (stopStreams) return;
    setTimeout(connect, status === 200 ? rand(100, 1000) : rand(1000, 5000));
  };
  connect();
  return st;
}

// ------------------------------------------------------------------ the people
const people = tokens.map((token, i) => ({ token, n: i + 1 }));

async function pool(items, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}
function must(r, what) {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${r.error || r.body}`);
  return r.json;
}

async function setup() {
  await pool(people, 16, async p => { p.id = must(await write(p.token, 'GET', '/api/me'), 'profile').id; });
  const groups = [];
  for (let i = 0; i < people.length; i += GROUP_SIZE) groups.push(people.slice(i, i + GROUP_SIZE));
  await pool(groups, 8, async members => {
    const owner = members[0];
    const g = must(await write(owner.token, 'POST', '/api/groups', {
      name: `Soak ${owner.n}`, end_at: iso(Date.now() + 30 * 86400_000), timezone: 'UTC',
      period: 'daily', period_target_minutes: 120 }), 'group');
    const link = must(await write(owner.token, 'POST', `/api/groups/${g.id}/links`, { max_uses: members.length }), 'link');
    for (const m of members) {
      m.group = g.id;
      if (m !== owner) must(await write(m.token, 'POST', `/api/links/${link.code}:join`), 'join');
    }
    owner.owns = g.id;
  });
  fs.writeFileSync(path.join(OUT, 'people.tsv'), people.map(p => [p.n, p.id, p.group].join('\t')).join('\n') + '\n');
}

// A clock cycle on the person's group.
async function clockCycle(p) {
  const created = await write(p.token, 'POST', '/api/sessions', { group_id: p.group }, [409]);
  if (created.status !== 201) return;
  const id = created.json.id;
  ack('session', id, 'create');
  const started = await write(p.token, 'POST', `/api/sessions/${id}:start`, undefined, [409]);
  if (started.status !== 200) return;
  ack('session', id, 'start');
  await readWhile(p, rand(60_000, 240_000));
  let gap = null;
  if (Math.random() < 0.5 && Date.now() < END) {
    // paused by a phone that was offline: the device's time, up to 30 s back
    const pauseAt = Date.now() - rand(2_000, 30_000);
    const paused = await write(p.token, 'POST', `/api/sessions/${id}:pause`, { at: iso(pauseAt) }, [409, 422]);
    if (paused.status === 200) {
      ack('session', id, 'pause');
      await readWhile(p, rand(10_000, 30_000));
      const resumeAt = Date.now() - rand(0, 3_000);
      const resumed = await write(p.token, 'POST', `/api/sessions/${id}:resume`, { at: iso(resumeAt) }, [409, 422]);
      if (resumed.status === 200) {
        ack('session', id, 'resume');
        gap = [pauseAt + 1000, resumeAt - 1000];
        await readWhile(p, rand(30_000, 90_000));
      }
    }
  }
  await stopSession(p, id);
  if (gap && gap[1] - gap[0] >= 2000) {
    // the pause's gap logged by hand, afterwards (a log sent late)
    const logged = await write(p.token, 'POST', `/api/sessions/${id}/logs`,
      { started_at: iso(gap[0]), ended_at: iso(gap[1]) }, [409, 422]);
    if (logged.status === 201) ack('log', logged.json.id, id, gap[0], gap[1]);
  }
}

// The stop, from one device or (a quarter of the time) from both at once: the second finds the
// running session by ?status=running as the app does. Retried until one is acknowledged.
async function stopSession(p, id) {
  const both = Math.random() < 0.25;
  const stops = [write(p.token, 'POST', `/api/sessions/${id}:stop`, undefined, [409])];
  if (both) {
    stops.push((async () => {
      const running = await call(p.token, 'GET', '/api/sessions?status=running');
      const found = running.status === 200 && running.json.find(s => s.id === id);
      return found ? write(p.token, 'POST', `/api/sessions/${id}:stop`, undefined, [409]) : { status: 0 };
    })());
  }
  const answers = await Promise.all(stops);
  if (answers.some(a => a.status === 200)) ack('session', id, 'stop');
}

const reads = [
  p => `/api/groups/${p.group}/history`,
  () => `/api/me/stats?from=${iso(Date.now() - 6 * 86400_000).slice(0, 10)}&to=${iso(Date.now()).slice(0, 10)}`,
  () => '/api/groups',
  () => '/api/notifications',
  () => '/api/me',
  p => `/api/groups/${p.group}/members`,
];
// The app open for MS milliseconds: the board every 10-30 s, something else now and then.
async function readWhile(p, ms) {
  const until = Math.min(Date.now() + ms, END);
  while (Date.now() < until) {
    await call(p.token, 'GET', `/api/groups/${p.group}/progress/current`);
    if (Math.random() < 0.25) await call(p.token, 'GET', pick(reads)(p));
    await sleep(Math.min(rand(10_000, 30_000), Math.max(0, until - Date.now())));
  }
}

// Now and then an owner brings someone from elsewhere: a join link they use, or an invite they accept.
async function recruit(owner) {
  const someone = pick(people);
  if (someone.group === owner.owns) return;
  if (Math.random() < 0.5) {
    const link = await write(owner.token, 'POST', `/api/groups/${owner.owns}/links`, { max_uses: 1 }, [409]);
    if (link.status !== 201) return;
    const joined = await write(someone.token, 'POST', `/api/links/${link.json.code}:join`, undefined, [409, 410]);
    if (joined.status === 201) ack('member', owner.owns, someone.id, 'link');
  } else {
    const invite = await write(owner.token, 'POST', `/api/groups/${owner.owns}:invite`, { recipient_id: someone.id }, [409]);
    if (invite.status !== 201) return;
    const accepted = await write(someone.token, 'POST', `/api/invites/${invite.json.id}:accept`, undefined, [409, 410]);
    if (accepted.status >= 200 && accepted.status < 300) ack('member', owner.owns, someone.id, 'invite');
  }
}

async function evening(p) {
  await sleep(rand(0, 60_000));
  while (Date.now() < END) {
    await readWhile(p, rand(30_000, 120_000));
    if (Date.now() >= END) break;
    await clockCycle(p);
    if (p.owns && Math.random() < 0.15) await recruit(p);
  }
}

// Whatever a person still has running or paused (a cycle cut by the end, a stop that never got an
// answer) is found as the app finds it and stopped.
async function windDown() {
  await pool(people, 16, async p => {
    for (const status of ['running', 'paused']) {
      const r = await call(p.token, 'GET', `/api/sessions?status=${status}&limit=100`);
      for (const s of (r.status === 200 ? r.json : [])) {
        if (s.creator_id === p.id) await stopSession(p, s.id);
      }
    }
  });
}

async function finalCheck() {
  await sleep(5_000);   // no writes for 5 s: every board has been sent (at most 4 a second per group)
  const result = { streams: streams.length, open: 0, first_event_since_reconnect: 0, boards_current: 0,
    boards_checked: 0, stale: [], never_reconnected: [] };
  await pool(streams, 16, async st => {
    if (st.open) result.open++; else result.never_reconnected.push(`${st.kind} ${st.person.n}`);
    if (st.open && st.firstSince) result.first_event_since_reconnect++;
    if (st.kind !== 'board') return;
    result.boards_checked++;
    const current = await call(st.person.token, 'GET', `/api/groups/${st.person.group}/progress/current`);
    if (current.status === 200 && st.lastBoardAt >= st.connectedAt
        && JSON.stringify(JSON.parse(st.lastBoard)) === JSON.stringify(current.json)) result.boards_current++;
    else if (result.stale.length < 10) result.stale.push({ person: st.person.n, open: st.open, current: current.status });
  });
  return result;
}

(async () => {
  const t0 = Date.now();
  await setup();
  console.log(`setup: ${people.length} people in ${Math.ceil(people.length / GROUP_SIZE)} groups (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  fs.writeFileSync(path.join(OUT, 'load-started'), String(Date.now() / 1000));
  END = Date.now() + cfg.minutes * 60_000;
  for (const [i, p] of people.entries()) {
    setTimeout(() => {
      openStream(p, 'board', `/api/groups/${p.group}/progress/stream`);
      openStream(p, 'me', '/api/me/stream');
    }, (i * 30_000) / people.length);
  }
  await Promise.all(people.map(evening));
  console.log(`load ended; winding down (stopping what still runs)`);
  await windDown();
  const result = await finalCheck();
  stopStreams = true;
  flush(bucket());
  Object.assign(result, { totals, people: people.length, minutes: cfg.minutes });
  fs.writeFileSync(path.join(OUT, 'result.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
  await Promise.all([acks, errors, seconds].map(w => new Promise(r => w.end(r))));
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
