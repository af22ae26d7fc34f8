"""A Server-Sent Events client for deploy/cluster-test.sh (used through deploy/lib/sse.sh).

sse.py listen URL TOKEN FILE [LAST-EVENT-ID]: reads the stream as the
text/event-stream format says and appends one JSON object a line to FILE,
each with "t", the time it arrived: {"status", "upstream"} when the answer's
head arrives (upstream: nginx's X-Lockin-Upstream), then {"event", "id",
"data"} for each event (data parsed as JSON), {"comment"} for each comment,
and {"closed": true} when the stream ends or is cut.
sse.py wait FILE AFTER TIMEOUT EXPR [NAME=VALUE...]: waits until FILE has a
line, arrived at AFTER or later, for which the Python expression EXPR holds
(e is the line; NAME=VALUE are variables; ev(e, name) and focusing(e, user)
help); prints its "t" and the line; exits 1 after TIMEOUT seconds.
"""
import http.client, json, sys, time, urllib.parse

def listen(url, token, out, last_id=""):
    u = urllib.parse.urlsplit(url)
    headers = {"Authorization": "Bearer " + token, "Accept": "text/event-stream"}
    if last_id:
        headers["Last-Event-ID"] = last_id
    with open(out, "a", buffering=1) as f:
        def put(**record):
            record["t"] = time.time()
            f.write(json.dumps(record) + "\n")
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port)
            conn.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers)
            resp = conn.getresponse()
        except OSError as e:
            put(status=0, error=str(e)); put(closed=True); return
        put(status=resp.status, upstream=resp.getheader("X-Lockin-Upstream"))
        if resp.status != 200:
            put(body=resp.read().decode(errors="replace")); put(closed=True); return
        name, eid, data = None, None, []
        try:
            while True:
                line = resp.readline()
                if not line:
                    break
                line = line.decode().rstrip("\n").rstrip("\r")
                if line == "":
                    if data or name:
                        text = "\n".join(data)
                        try:
                            value = json.loads(text)
                        except ValueError:
                            value = text
                        put(event=name or "message", id=eid, data=value)
                    name, eid, data = None, None, []
                elif line.startswith(":"):
                    put(comment=line[1:].strip())
                else:
                    field, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if field == "event":
                        name = value
                    elif field == "id":
                        eid = value
                    elif field == "data":
                        data.append(value)
        except (OSError, http.client.HTTPException) as e:
            put(error=str(e))
        put(closed=True)

def ev(e, name):
    return e.get("event") == name

def focusing(e, user):
    if e.get("event") != "leaderboard":
        return None
    return next((m.get("is_focusing") for m in e["data"] if m.get("user_id") == user), None)

def wait(out, after, timeout, expr, *assignments):
    names = {"ev": ev, "focusing": focusing}
    names.update(a.split("=", 1) for a in assignments)
    deadline = time.time() + float(timeout)
    while True:
        try:
            with open(out) as f:
                lines = f.readlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                e = json.loads(line)
            except ValueError:
                continue  # a line being written
            if e["t"] >= float(after) and eval(expr, names, {"e": e}):
                print("%.3f %s" % (e["t"], json.dumps(e)))
                return 0
        if time.time() > deadline:
            return 1
        time.sleep(0.05)

if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    sys.exit(listen(*args) if command == "listen" else wait(*args))
