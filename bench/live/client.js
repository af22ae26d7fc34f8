#!/usr/bin/env node
// The "live" scenario's load client: many Server-Sent Event streams of group leaderboards, and
// a writer of manual time logs to the hot group, in one Node.js process (one clock for both).
// Node 20, built-in modules only.
//
//   node bench/live/client.js --base http://127.0.0.1:18080 --streams FILE --writers FILE \
//        [--rate 100] [--warmup 10] [--duration 60] [--drain 5] [--open-concurrency 200]
//        [--server-pid PID] [--clk-tck 100]
//
// --server-pid PID the server's process: its RSS and CPU, and its heap after a full GC
//                  (bench/heap-after-gc.sh) before the streams open, when --heap-probe N of them
//                  are open (default 80 % of the instance's limit, lockin_streams_limit, so that
//                  no refused opening weighs in), and once they are all open:
//                  heap_per_stream_kb = (heap at the probe − before) / the streams then open (the
//                  guard of LOCKIN_MAX_STREAMS' 64 KiB a stream; without a probe, all of them).
// --streams FILE   one stream a line: "<access token> <group id> hot|other"; every line is its
//                  own person (its token), a member of that group. "hot" streams are those of the
//                  hot group (the one written to): each of them is measured.
// --writers FILE   one writer a line: "<access token> <session id> <profile id> <first slot, epoch ms>"
//                  a member of the hot group who hosts that session of the hot group, is not
//                  focusing (so their seconds_done moves only by these writes) and has no time
//                  logged from the first slot on; slot j is [first + j * step, first + j * step +
//                  length) (--slot-step, --slot-length ms, default 2000 and 1000; j < --slots): in
//                  the past, inside the session's window, never overlapping one another
//                  (--first-slot J starts at slot J, for a second run on the same data).
//
// What it does:
//   1. opens every stream (GET /api/groups/{id}/progress/stream, Bearer token), at most
//      --open-concurrency at a time; a stream is open when its first `leaderboard` event has come
//      (refused when it has not within --open-timeout s, default 60); no stream is begun after
//      --open-deadline s (default 300), nor once none has opened for --open-stall s (default 60):
//      those count as not tried, and the run goes on with the streams that opened;
//   2. writes manual time logs (POST /api/sessions/{id}/logs) at --rate a second, round robin over
//      the writers (one write of a writer in flight at a time), first --warmup seconds (not
//      measured), then --duration seconds (measured), then waits --drain seconds for the boards;
//   3. then closes everything and prints one line "RESULT key=value ..." (bench/lib/live.sh reads it);
//      so does SIGTERM or SIGINT, with what was measured until then (interrupted=1).
//
// Measured, with performance.now() (one monotonic clock for the writes and the events):
//   * per write and hot stream: the time from the write's answer (201 received: it has committed)
//     to the first `leaderboard` event on that stream that reflects it. A writer's k-th accepted
//     write is reflected when the writer's seconds_done on the board is at least its first value
//     + k * slot length (each log adds exactly its length: whole seconds, and the board floors the
//     sum of a period's seconds). A writer's writes are sequential, so this is exact per writer;
//     an event that shows a write before its answer has come counts 0 ms (and "early").
//   * freshness, per `leaderboard` event on a hot stream during the measured writes: the event's
//     arrival minus the answer of the newest write it reflects.
//   * fan-out, per distinct board during the measured writes: its arrival on the last hot stream
//     minus its arrival on the first.
//   * streams dropped: closed or failed after they opened and before the end of the run (must be 0);
//     streams refused (no 200 text/event-stream, or no first board); the open rate.
//   * this process's CPU (utime + stime of /proc/self/stat) over the measured writes, as % of all
//     cores; the server's RSS (VmRSS of /proc/<server pid>/status every 0.5 s) and CPU.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const crypto = require('node:crypto');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { sseParser } = require('../sse.js');

// ------------------------------------------------------------------ options
const opt = {
  base: 'http://127.0.0.1:18080', streams: null, writers: null, rate: 100, warmup: 10, duration: 60,
  drain: 5, 'open-concurrency': 200, 'server-pid': null, 'clk-tck': 100, 'slot-step': 2000, 'slot-length': 1000,
  slots: Infinity, 'first-slot': 0, 'open-timeout': 60, 'open-deadline': 300, 'open-stall': 60, 'heap-probe': 0,
};
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in opt) || i + 1 >= process.argv.length) {
    console.error(`client.js: unknown option or missing value: ${process.argv[i]}`);
    process.exit(2);
  }
  opt[name] = process.argv[i + 1];
}
for (const k of ['rate', 'warmup', 'duration', 'drain', 'open-concurrency', 'clk-tck', 'slot-step', 'slot-length', 'slots', 'first-slot', 'open-timeout', 'open-deadline', 'open-stall', 'heap-probe']) {
  opt[k] = Number(opt[k]);
}
if (!opt.streams || !opt.writers) {
  console.error('client.js: --streams FILE and --writers FILE are needed');
  process.exit(2);
}
const base = new URL(opt.base);
const CORES = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const log = (msg) => console.log(`  ${msg}`);

const lines = (file) => fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const streams = lines(opt.streams).map((l, i) => {
  const [token, group, kind] = l.split(/\s+/);
  return { i, token, group, hot: kind === 'hot' };
});
const writers = lines(opt.writers).map((l, w) => {
  const [token, session, profile, first] = l.split(/\s+/);
  return { w, token, session, profile, first: Number(first), next: opt['first-slot'], busy: false, broken: false, answers: [], measuredFrom: Infinity };
});
const W = writers.length;
const writerOf = new Map(writers.map((wr) => [wr.profile, wr.w]));
const hotStreams = streams.filter((s) => s.hot);
if (hotStreams.length === 0 || W === 0) {
  console.error('client.js: no hot stream or no writer');
  process.exit(2);
}

// ------------------------------------------------------------- measurements
class Samples {   // a growable array of doubles
  constructor() { this.a = new Float64Array(1 << 16); this.n = 0; }
  push(v) {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  quantile(q) {
    if (this.n === 0) return NaN;
    const s = this.a.subarray(0, this.n).sort();
    return s[Math.min(this.n - 1, Math.floor(q * this.n))];
  }
}
const latency = new Samples();     // per measured write and hot stream, ms
const freshness = new Samples();   // per board on a hot stream during the measured writes, ms
const counts = { opened: 0, refused: 0, notTried: 0, dropped: 0, endEvents: 0, boards: 0, hotBoards: 0, milestones: 0, pings: 0,
  otherEvents: 0, early: 0, earlyFresh: 0, writes: 0, measuredWrites: 0, writeErrors: 0, writesSkipped: 0, writeRetries: 0,
  writesReplayed: 0, contract: 0 };
const firstErrors = [];
const noteError = (what) => { if (firstErrors.length < 5) firstErrors.push(what.replace(/\s+/g, ' ').slice(0, 300)); };

const CLK_TCK = opt['clk-tck'];
const ticks = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');   // fields from 3 (state) on
    return Number(f[11]) + Number(f[12]);                          // utime (14) + stime (15)
  } catch { return NaN; }
};
const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
};
const serverPid = opt['server-pid'];
let rssPeak = 0;
const serverRss = () => { const r = rssMb(serverPid); if (r > rssPeak) rssPeak = r; return r; };
const rssTimer = serverPid ? setInterval(serverRss, 500) : null;
// the server's heap used after a full GC, in MB
const heapAfterGc = () => {
  if (!serverPid) return NaN;
  try {
    return Number(execFileSync(path.join(__dirname, '..', 'heap-after-gc.sh'), [String(serverPid)], { encoding: 'utf8' })) / 1024;
  } catch { return NaN; }
};
const cpuMark = () => ({ t: performance.now(), me: ticks('self'), server: serverPid ? ticks(serverPid) : NaN });
const cpuPercent = (from, to, who) => ((to[who] - from[who]) / CLK_TCK) * 100 / (((to.t - from.t) / 1000) * CORES);

// ------------------------------------------------------------------ boards
// The writers' seconds_done on a board, parsed once per distinct board (all hot streams get the same).
let boardCache = [];   // {data, secs, first, last (arrival on the first and the last hot stream)} of the last boards
const fanout = new Samples();   // per board during the measured writes: last hot stream's arrival - first's, ms
// An entry's fields as the served OpenAPI document's ProgressEntry schema says (read at the start,
// so the check follows the contract instead of a list written here): every required one, no other.
let entrySchema = null;   // {required: [...], properties: Set}
function servedEntrySchema() {
  return new Promise((resolve) => {
    const req = http.request({
      host: base.hostname, port: base.port, method: 'GET', path: '/openapi',
      headers: { Accept: 'application/json' },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        try {
          const schema = JSON.parse(body).components.schemas.ProgressEntry;
          resolve({ required: schema.required || [], properties: new Set(Object.keys(schema.properties)) });
        } catch (e) { noteError(`the served OpenAPI document has no ProgressEntry schema (${e.message})`); resolve(null); }
      });
    });
    req.on('error', (e) => { noteError(`GET /openapi: ${e.message}`); resolve(null); });
    req.end();
  });
}
function contractProblem(board) {
  if (!Array.isArray(board)) return 'the board is not an array';
  for (const e of board) {
    const missing = entrySchema.required.filter((k) => !(k in e));
    if (missing.length) return `an entry lacks ${missing.join(', ')}`;
    const unknown = Object.keys(e).filter((k) => !entrySchema.properties.has(k));
    if (unknown.length) return `an entry has fields ProgressEntry does not name: ${unknown.join(', ')}`;
  }
  return null;
}
function writerSeconds(data, t) {
  for (const b of boardCache) if (b.data === data) { b.last = t; return b.secs; }
  const board = JSON.parse(data);
  if (counts.contract === 0 && entrySchema) {
    const problem = contractProblem(board);
    counts.contract = problem ? -1 : 1;
    if (problem) noteError(`leaderboard contract: ${problem}`);
  }
  const v = new Float64Array(W).fill(NaN);
  for (const e of board) {
    const w = writerOf.get(e.user_id);
    if (w !== undefined) v[w] = e.seconds_done;
  }
  if (boardCache.length >= 4) forget(boardCache.pop());
  boardCache.unshift({ data, secs: v, first: t, last: t, measured: measuring });
  return v;
}
function forget(b) {
  if (b.measured) fanout.push(b.last - b.first);
}
let baseline = null;               // each writer's seconds_done before any write
const SLOT_S = opt['slot-length'] / 1000;
let measuring = false;             // true from the first measured write on until the end of the drain

// A board arrived on hot stream s at time t.
function hotBoard(s, data, t) {
  const secs = writerSeconds(data, t);
  if (!baseline) {
    baseline = Float64Array.from(secs);
    for (let w = 0; w < W; w++) if (Number.isNaN(baseline[w])) { writers[w].broken = true; noteError(`writer ${writers[w].profile} is not on the hot board`); }
  }
  let newest = -Infinity, early = false;
  for (let w = 0; w < W; w++) {
    const wr = writers[w];
    if (wr.broken) continue;
    const reflected = Math.round((secs[w] - baseline[w]) / SLOT_S);
    if (reflected > s.seen[w]) s.seen[w] = reflected;
    const answered = wr.answers.length;
    while (s.recorded[w] < Math.min(reflected, answered)) {
      const k = s.recorded[w]++;
      if (k >= wr.measuredFrom) latency.push(Math.max(0, t - wr.answers[k]));
    }
    if (reflected > answered) early = true;
    else if (reflected > 0 && wr.answers[reflected - 1] > newest) newest = wr.answers[reflected - 1];
  }
  if (measuring && newest > -Infinity) {
    if (early) { freshness.push(0); counts.earlyFresh++; } else freshness.push(t - newest);
  }
}
// The answer of writer w's k-th accepted write (0-based) came at t: the hot streams that
// already showed it get 0 ms.
function answered(w, k, t) {
  const wr = writers[w];
  wr.answers.push(t);
  for (const s of hotStreams) {
    if (s.seen && s.seen[w] > k && s.recorded[w] === k) {
      s.recorded[w]++;
      if (k >= wr.measuredFrom) { latency.push(0); counts.early++; }
    }
  }
}

// ------------------------------------------------------------------ streams
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let closing = false;

function openStream(s) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok) => {
      if (settled) return;
      settled = true;
      if (ok) { counts.opened++; lastOpen = performance.now(); } else counts.refused++;
      resolve(ok);
    };
    s.lastData = performance.now();
    const req = http.request({
      host: base.hostname, port: base.port, method: 'GET', agent: streamAgent,
      path: `/api/groups/${s.group}/progress/stream`,
      headers: { Authorization: `Bearer ${s.token}`, Accept: 'text/event-stream' },
    });
    s.req = req;
    const timer = setTimeout(() => {
      noteError(`stream ${s.i}: no first board within ${opt['open-timeout']} s`);
      done(false); s.gaveUp = true; req.destroy();
    }, opt['open-timeout'] * 1000);
    req.on('response', (res) => {
      const type = res.headers['content-type'] || '';
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { if (body.length < 500) body += c; });
        res.on('end', () => { noteError(`stream ${s.i}: ${res.statusCode} ${type} ${body}`); clearTimeout(timer); done(false); });
        res.on('error', () => { clearTimeout(timer); done(false); });
        return;
      }
      res.setEncoding('utf8');
      if (s.hot) { s.seen = new Int32Array(W); s.recorded = new Int32Array(W); }
      const parse = sseParser((type, data, id, t) => {
        if (id === null) noteError(`stream ${s.i}: an event without id (${type})`);
        if (type === 'leaderboard') {
          counts.boards++;
          if (s.hot) { counts.hotBoards++; hotBoard(s, data, t); }
          if (!settled) { clearTimeout(timer); done(true); }
        } else if (type === 'milestone') counts.milestones++;
        else if (type === 'end') { counts.endEvents++; s.endReason = data; }
        else counts.otherEvents++;
      }, () => { counts.pings++; });
      res.on('data', (chunk) => {
        const t = performance.now();
        if (t - s.lastData > maxSilence.ms && settled) { maxSilence.ms = t - s.lastData; }
        s.lastData = t;
        received(parse, chunk, t);
      });
      const lost = (why) => {
        if (closing || s.gaveUp) return;
        if (!settled) { noteError(`stream ${s.i}: ${why} before its first board`); clearTimeout(timer); done(false); return; }
        if (!s.dropped) { s.dropped = true; counts.dropped++; noteError(`stream ${s.i} dropped: ${why}${s.endReason ? ` (end: ${s.endReason})` : ''}`); }
      };
      res.on('end', () => lost('the server ended it'));
      res.on('error', (e) => lost(e.message));
      res.on('close', () => lost('closed'));
    });
    req.on('error', (e) => {
      if (closing || s.gaveUp) return;
      if (!settled) { noteError(`stream ${s.i}: ${e.message}`); clearTimeout(timer); done(false); }
      else if (!s.dropped) { s.dropped = true; counts.dropped++; noteError(`stream ${s.i} dropped: ${e.message}`); }
    });
    req.end();
  });
}
const maxSilence = { ms: 0 };   // longest time a stream went without a byte (after it opened)
let lastOpen = 0;               // when the last stream opened

// The chunks that came in one turn of the event loop are parsed after all of them are stamped:
// when a board reaches all hot streams at once, the last one's time is not delayed by the
// parsing of the others.
let inbox = [];
function received(parse, chunk, t) {
  if (inbox.length === 0) setImmediate(parseInbox);
  inbox.push(parse, chunk, t);
}
function parseInbox() {
  const work = inbox;
  inbox = [];
  for (let i = 0; i < work.length; i += 3) work[i](work[i + 1], work[i + 2]);
}

async function openAll() {
  // the hot streams first, so that the baseline board is theirs; then the others
  const order = [...hotStreams, ...streams.filter((s) => !s.hot)];
  let next = 0;
  const deadline = performance.now() + opt['open-deadline'] * 1000;
  lastOpen = performance.now();
  const going = (end) => {
    const now = performance.now();
    return next < end && now < deadline && now - lastOpen < opt['open-stall'] * 1000;
  };
  const openUpTo = async (end) => {
    const worker = async () => { while (going(end)) await openStream(order[next++]); };
    await Promise.all(Array.from({ length: Math.min(opt['open-concurrency'], Math.max(end - next, 1)) }, worker));
  };
  const progress = setInterval(() => log(`${counts.opened} streams open, ${counts.refused} refused`), 10000);
  const probeAt = Math.min(order.length, await heapProbeAt());
  if (probeAt > 0) {
    await openUpTo(probeAt);
    if (counts.refused === 0 && counts.opened > 0) {
      marks.heapProbe = heapAfterGc();
      marks.probeOpened = counts.opened;
      log(`${counts.opened} streams open: heap after a full GC ${fmt(marks.heapProbe, 0)} MB`);
    }
  }
  await openUpTo(order.length);
  clearInterval(progress);
  counts.notTried = order.length - next;
  if (counts.notTried > 0) {
    noteError(`${counts.notTried} streams not tried: opening went on for ${opt['open-deadline']} s, or none opened for ${opt['open-stall']} s`);
  }
}

// How many streams are open when the heap is probed: --heap-probe, else 80 % of the instance's
// limit (lockin_streams_limit of its metrics), 0 (no probe) when neither is known.
async function heapProbeAt() {
  if (opt['heap-probe'] > 0) return opt['heap-probe'];
  if (!serverPid) return 0;
  return new Promise((resolve) => {
    http.get({ host: base.hostname, port: base.port, path: '/metrics?scope=application', timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        const m = /^lockin_streams_limit(?:\{[^}]*\})? ([0-9.eE+]+)$/m.exec(text);
        resolve(m ? Math.floor(Number(m[1]) * 0.8) : 0);
      });
    }).on('error', () => resolve(0)).on('timeout', function () { this.destroy(); resolve(0); });
  });
}

// ------------------------------------------------------------------- writer
const writeAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
function write(wr, measured) {
  const j = wr.next++;
  const from = wr.first + j * opt['slot-step'];
  const body = JSON.stringify({ started_at: new Date(from).toISOString(), ended_at: new Date(from + opt['slot-length']).toISOString() });
  const key = crypto.randomUUID();
  wr.busy = true;
  counts.writes++;
  if (measured) { counts.measuredWrites++; if (wr.measuredFrom === Infinity) wr.measuredFrom = wr.answers.length; }
  let over = false;
  const fail = (why) => {
    // no usable answer: whether it committed is unknown, so this writer's count is too; it stops
    if (over) return;
    over = true;
    counts.writeErrors++; noteError(`write ${wr.session} slot ${j}: ${why}`);
    wr.broken = true; wr.busy = false;
  };
  const send = (attempt) => {
    const req = http.request({
      host: base.hostname, port: base.port, method: 'POST', agent: writeAgent,
      path: `/api/sessions/${wr.session}/logs`,
      headers: { Authorization: `Bearer ${wr.token}`, 'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body), 'Idempotency-Key': key },
      timeout: 10000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('error', (e) => fail(`answer cut: ${e.message}`));
      res.on('end', () => {
        const t = performance.now();
        if (res.statusCode !== 201) { fail(`${res.statusCode} ${text.slice(0, 200)}`); return; }
        if (over) return;
        over = true;
        if (res.headers['idempotency-replayed'] === 'true') counts.writesReplayed++;
        wr.busy = false;
        answered(wr.w, wr.answers.length, t);
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    // No answer at all (a kept-alive connection the server closed as this write went out): sent
    // again once with the same Idempotency-Key, as the app does; the server answers the first
    // answer if the first attempt committed (Idempotency-Replayed), else does the write.
    req.on('error', (e) => {
      if (attempt === 1 && !closing) { counts.writeRetries++; send(2); } else fail(e.message);
    });
    req.end(body);
  };
  send(1);
}
// --rate writes a second for `seconds`, round robin over the writers that have no write in flight.
function writeFor(seconds, measured) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let issued = 0, rr = 0;
    const tick = () => {
      const now = performance.now();
      const due = Math.min(Math.floor(((now - t0) / 1000) * opt.rate), Math.round(seconds * opt.rate));
      while (issued < due) {
        let wr = null;
        for (let n = 0; n < W && !wr; n++) {
          const c = writers[(rr + n) % W];
          if (!c.busy && !c.broken && c.next < opt.slots) { wr = c; rr = (rr + n + 1) % W; }
        }
        if (!wr) { counts.writesSkipped += due - issued; issued = due; break; }
        write(wr, measured);
        issued++;
      }
      // the end, or no writer left (each stops at its first failed write): nothing more to measure
      if (now - t0 >= seconds * 1000 || writers.every((wr) => wr.broken)) { clearInterval(timer); resolve(); }
    };
    const timer = setInterval(tick, 5);
  });
}

// --------------------------------------------------------------------- main
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'NaN');

const marks = {};   // what finish() reports: the phases reached so far
async function main() {
  entrySchema = await servedEntrySchema();
  const heapIdle = heapAfterGc();
  const rssIdle = serverPid ? serverRss() : NaN;
  const slotsNeeded = Math.ceil((opt.rate * (opt.warmup + opt.duration)) / W);
  log(`${streams.length} streams (${hotStreams.length} of the hot group), ${W} writers, ${opt.rate} writes/s: ${opt.warmup} s warm-up + ${opt.duration} s measured (${slotsNeeded} slots a writer at most)`);

  const c0 = cpuMark();
  Object.assign(marks, { c0, rssIdle, heapIdle });
  await openAll();
  const c1 = cpuMark();
  const openSeconds = ((counts.opened > 0 ? lastOpen : c1.t) - c0.t) / 1000;   // until the last stream opened
  const rssOpen = serverPid ? serverRss() : NaN;
  const heapOpen = heapAfterGc();
  Object.assign(marks, { c1, openSeconds, rssOpen, heapOpen });
  log(`opened ${counts.opened} streams in ${fmt(openSeconds)} s (${fmt(counts.opened / openSeconds, 0)}/s), ${counts.refused} refused; server RSS ${fmt(rssOpen, 0)} MB`);
  if (counts.opened === 0) { finish({ openSeconds, c0, c1, c2: c1, c3: c1, rssIdle, rssOpen, loop: null }); return; }

  await sleep(2000);
  if (opt.warmup > 0) {
    log(`warm-up: ${opt.warmup} s of writes (not measured)`);
    await writeFor(opt.warmup, false);
    await sleep(2000);
  }
  log(`measured: ${opt.duration} s of writes`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  measuring = true;
  const c2 = cpuMark();
  Object.assign(marks, { c2, loop });
  await writeFor(opt.duration, true);
  const c3 = cpuMark();
  marks.c3 = c3;
  await sleep(opt.drain * 1000);
  measuring = false;
  loop.disable();
  finish({ openSeconds, c0, c1, c2, c3, rssIdle, rssOpen, loop });
}

let finished = false;
function finish({ openSeconds, c0, c1, c2, c3, rssIdle, rssOpen, loop }, interrupted = false) {
  if (finished) return;
  finished = true;
  if (rssTimer) { clearInterval(rssTimer); serverRss(); }
  boardCache.forEach(forget);
  // writes no hot stream showed by the end (each one counted once per stream that missed it)
  let unseen = 0;
  for (const s of hotStreams) {
    if (!s.recorded) continue;
    for (let w = 0; w < W; w++) {
      const wr = writers[w];
      if (!wr.broken && wr.measuredFrom !== Infinity) unseen += Math.max(0, wr.answers.length - Math.max(s.recorded[w], wr.measuredFrom));
    }
  }
  const measuredHot = hotStreams.filter((s) => s.recorded && !s.dropped).length;
  const result = {
    streams: streams.length, opened: counts.opened, refused: counts.refused, not_tried: counts.notTried, dropped: counts.dropped,
    open_s: fmt(openSeconds), open_rate: fmt(counts.opened / openSeconds, 0),
    hot_streams: measuredHot, writers: W,
    writes: counts.measuredWrites, write_rate: fmt(counts.measuredWrites / ((c3.t - c2.t) / 1000), 1),
    write_errors: counts.writeErrors, writes_skipped: counts.writesSkipped, write_retries: counts.writeRetries,
    writes_replayed: counts.writesReplayed,
    p50_ms: fmt(latency.quantile(0.5)), p99_ms: fmt(latency.quantile(0.99)), max_ms: fmt(latency.quantile(1)),
    samples: latency.n, early: counts.early, unseen,
    fresh_p50_ms: fmt(freshness.quantile(0.5)), fresh_p99_ms: fmt(freshness.quantile(0.99)), fresh_samples: freshness.n,
    fanout_p50_ms: fmt(fanout.quantile(0.5)), fanout_p99_ms: fmt(fanout.quantile(0.99)), fanout_boards: fanout.n,
    boards: counts.boards, hot_boards: counts.hotBoards, milestones: counts.milestones, pings: counts.pings,
    end_events: counts.endEvents, max_silence_s: fmt(maxSilence.ms / 1000),
    contract: counts.contract === 1 ? 'ok' : counts.contract === -1 ? 'MISMATCH' : 'unchecked',
    client_cpu: fmt(cpuPercent(c2, c3, 'me')), client_cpu_open: fmt(cpuPercent(c0, c1, 'me')),
    server_cpu: fmt(cpuPercent(c2, c3, 'server')), server_cpu_open: fmt(cpuPercent(c0, c1, 'server')),
    rss_idle_mb: fmt(rssIdle, 0), rss_open_mb: fmt(rssOpen, 0), rss_peak_mb: fmt(rssPeak, 0),
    heap_idle_mb: fmt(marks.heapIdle, 0), heap_open_mb: fmt(marks.heapOpen, 0),
    heap_probe_mb: fmt(marks.heapProbe, 0), heap_probe_streams: marks.probeOpened || 0,
    heap_per_stream_kb: marks.probeOpened
      ? fmt(((marks.heapProbe - marks.heapIdle) * 1024) / marks.probeOpened, 1)
      : fmt(((marks.heapOpen - marks.heapIdle) * 1024) / counts.opened, 1),
    client_rss_mb: fmt(process.memoryUsage().rss / 1048576, 0),
    loop_p99_ms: loop ? fmt(loop.percentile(99) / 1e6) : 'NaN',
    interrupted: interrupted ? 1 : 0,
  };
  for (const e of firstErrors) console.log(`FIRST_ERROR ${e}`);
  console.log(`RESULT ${Object.entries(result).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  closing = true;
  streamAgent.destroy();
  writeAgent.destroy();
  for (const s of streams) if (s.req) s.req.destroy();
  setTimeout(() => process.exit(0), 200).unref();
}

// interrupted: what was measured until then, then out
const interrupt = (code) => () => {
  const now = cpuMark();
  const m = { c0: now, c1: now, c2: now, c3: now, openSeconds: NaN, ...marks };
  if (!marks.c3 && marks.c2) m.c3 = now;
  if (!marks.c1) { m.c1 = now; m.openSeconds = (now.t - m.c0.t) / 1000; }
  finish(m, true);
  setTimeout(() => process.exit(code), 300);
};
process.on('SIGINT', interrupt(130));
process.on('SIGTERM', interrupt(143));
main().catch((e) => { console.error(e); process.exit(1); });
