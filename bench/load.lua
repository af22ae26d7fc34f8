-- wrk script for the LockIN load scenarios.
--
--   wrk -t T -c C -d 30s -s bench/load.lua http://127.0.0.1:PORT -- SCENARIO USERS_FILE T [ARGS...]
--
-- SCENARIO     progress | history | stats | groups | notifications | clock | anchor | bare | me
-- USERS_FILE   one simulated user a line: "<access token> <group id or ->"
-- T            the thread count given to wrk (-t), to share the users out
-- ARGS         progress: HOT_GROUP_ID, the group whose leaderboard it reads;
--              history: HOT_GROUP_ID BEFORES_FILE, the group and a file of its period starts
--              (ISO instants, one a line, from the database: real local midnights, DST included);
--              stats: FROM TO, the dates of the range asked for (a year: today - 365 .. today)
--
-- history: GET /api/groups/{hot}/history?limit=20&before=<a period start drawn at random from
-- BEFORES_FILE>, so the requests page over the group's whole year; one request in ten asks for
-- the newest page (no before).
-- stats: GET /api/me/stats?from=FROM&to=TO&timezone=Europe/Paris, each by the thread's next user.
-- anchor: GET /api/anchor (a constant behind the API's authentication and filters), each by the
-- thread's next user; bare: GET /bare/anchor (the same constant without them), no token; me:
-- GET /api/me, the caller's own profile, each by the thread's next user.
--
-- Every request carries the token of the simulated user sending it. Thread t takes the users
-- t, t + T, t + 2T, ... of the file, so no user is ever used by two threads at once.
--
-- clock: one clock cycle after another, each by the thread's next user: POST /api/sessions
-- (in the user's group), then :start, :pause, :resume, :stop of that session. A cycle needs
-- the answer of the step before, so this scenario must run with one connection per thread
-- (-t C -c C): wrk does not tell a script which connection an answer came on. Each of its
-- requests carries an Idempotency-Key of its own, as the app sends them, so its cost is measured.
--
-- An answer other than 2xx counts as an error (wrk itself counts only >= 400). done() prints
-- one line, "RESULT key=value ...", that bench/run.sh reads.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

function init(args)
   math.randomseed(os.time() + tid)
   scenario = args[1]
   local thread_count = tonumber(args[3])
   hot_group = args[4]
   befores = {}
   if scenario == "history" then
      for line in io.lines(args[5]) do
         if line ~= "" then
            table.insert(befores, line)
         end
      end
      if #befores == 0 then
         error("no period starts in " .. tostring(args[5]))
      end
   elseif scenario == "stats" then
      stats_query = "?from=" .. args[4] .. "&to=" .. args[5] .. "&timezone=Europe/Paris"
   end
   local all = {}
   for line in io.lines(args[2]) do
      local token, group = line:match("^(%S+)%s+(%S+)")
      if token then
         table.insert(all, { auth = "Bearer " .. token, group = group })
      end
   end
   users = {}
   for i = tid, #all, thread_count do
      table.insert(users, all[i])
   end
   if #users == 0 then
      error("no users for thread " .. tid)
   end
   current = 0        -- index of the user sending now
   cleanup = nil      -- clock: a session of the current user to stop before the next cycle
   cleaning = false   -- clock: the request in flight is that stop
   step = 0           -- clock: 0 create, 1 start, 2 pause, 3 resume, 4 stop
   session = nil      -- clock: the session of the current cycle
   non2xx = 0
   first_error = ""
end

local function next_user()
   current = current % #users + 1
   return users[current]
end

local actions = { ":start", ":pause", ":resume", ":stop" }

sent = 0
local function idempotency_key()
   sent = sent + 1
   return string.format("bench-%d-%d-%d", tid, sent, math.random(1, 1000000000))
end

function request()
   if scenario == "clock" then
      if cleanup then
         local id = cleanup
         cleanup, cleaning = nil, true
         return wrk.format("POST", "/api/sessions/" .. id .. ":stop",
                           { ["Authorization"] = users[current].auth, ["Idempotency-Key"] = idempotency_key() })
      end
      if step == 0 or session == nil then
         step = 0
         local user = next_user()
         local body = user.group ~= "-" and ('{"group_id":"' .. user.group .. '"}') or "{}"
         return wrk.format("POST", "/api/sessions",
                           { ["Authorization"] = user.auth, ["Content-Type"] = "application/json",
                             ["Idempotency-Key"] = idempotency_key() }, body)
      end
      return wrk.format("POST", "/api/sessions/" .. session .. actions[step],
                        { ["Authorization"] = users[current].auth, ["Idempotency-Key"] = idempotency_key() })
   end
   local user = next_user()
   local path
   if scenario == "progress" then
      path = "/api/groups/" .. hot_group .. "/progress/current"
   elseif scenario == "history" then
      path = "/api/groups/" .. hot_group .. "/history?limit=20"
      if math.random(10) > 1 then
         path = path .. "&before=" .. befores[math.random(#befores)]
      end
   elseif scenario == "stats" then
      path = "/api/me/stats" .. stats_query
   elseif scenario == "groups" then
      path = "/api/groups"
   elseif scenario == "notifications" then
      path = "/api/notifications?limit=20"
   elseif scenario == "anchor" then
      path = "/api/anchor"
   elseif scenario == "me" then
      path = "/api/me"
   elseif scenario == "bare" then
      return wrk.format("GET", "/bare/anchor")
   else
      error("unknown scenario " .. tostring(scenario))
   end
   return wrk.format("GET", path, { ["Authorization"] = user.auth })
end

function response(status, headers, body)
   local ok = status >= 200 and status < 300
   if not ok then
      non2xx = non2xx + 1
      if first_error == "" then
         first_error = status .. " " .. string.sub(body or "", 1, 200)
      end
   end
   if scenario == "clock" then
      if cleaning then
         cleaning = false                -- the leftover session is stopped (or was): on with the cycle
         return
      end
      if not ok then
         -- give up this cycle, stopping what it leaves running (one session at a time per person):
         -- this one, or the one the 409 names; the next user starts a new cycle
         local running = string.match(body or "", '"running_session_id":"([%w%-]+)"')
         if running then
            cleanup = running
         elseif session and step >= 1 and step <= 3 then
            cleanup = session
         end
         step, session = 0, nil
      elseif step == 0 then
         session = string.match(headers["Location"] or headers["location"] or "", "/api/sessions/([%w%-]+)")
         step = session and 1 or 0
      else
         step = (step + 1) % 5
      end
   end
end

function done(summary, latency, requests)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
   local failed = 0
   local message = ""
   for _, thread in ipairs(threads) do
      failed = failed + thread:get("non2xx")
      if message == "" then
         message = thread:get("first_error")
      end
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
                          "socket_errors=%d non2xx=%d errors=%d\n",
                          summary.requests, seconds, summary.requests / seconds,
                          latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                          latency:percentile(99) / 1000, latency.max / 1000,
                          errors, failed, errors + failed))
   if message ~= "" then
      io.write("FIRST_ERROR " .. string.gsub(message, "\n", " ") .. "\n")
   end
end
