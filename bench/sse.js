'use strict';
// The text/event-stream format, for the bench's Node.js clients (bench/live/client.js,
// bench/soak/client.js): built-in modules only.
//
// sseParser(onEvent, onComment) returns feed(chunk, t): give it each chunk of the answer's
// body as it arrives (a string: res.setEncoding('utf8')); it calls onEvent(type, data, id, t)
// for each complete event (type 'message' when the event names none; data the data lines
// joined with '\n'; id the last id seen on the stream, or null; t what the chunk that
// completed it was given with) and onComment(text) for each comment line (': ping').
function sseParser(onEvent, onComment = () => {}) {
  let buf = '', type = '', data = [], id = null;
  return (chunk, t) => {
    buf += chunk;
    let start = 0, nl;
    while ((nl = buf.indexOf('\n', start)) >= 0) {
      let line = buf.slice(start, nl);
      start = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length > 0 || type) onEvent(type || 'message', data.join('\n'), id, t);
        type = ''; data = [];
        continue;
      }
      if (line[0] === ':') { onComment(line.slice(1).trimStart()); continue; }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value[0] === ' ') value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    buf = buf.slice(start);
  };
}

module.exports = { sseParser };
