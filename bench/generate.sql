-- LockIN benchmark data, made by set-based SQL in one transaction.
--
--   psql -v logs=1000000 -f bench/generate.sql     (into a freshly migrated, empty database)
--
-- What it makes (every id is deterministic, so tokens and scripts can name them):
--   * users bench-user-1 .. bench-user-U: a profile each (id md5('bench-user-<n>')::uuid) and an
--     auth_identities row (provider 'cognito', subject 'bench-user-<n>'), so that a development
--     token for that subject (./lockin tokens N) is that person. U = max(1100, logs / 700).
--   * the hot group (id md5('bench-group-1')::uuid): 20 members (users 1..20), daily in
--     Europe/Paris, started 365 days ago; one session with one log a day for each member
--     (7,300 logs at every scale), three of them running now.
--   * U / 10 other groups of 5..50 members (users 21..U), daily or weekly, in 8 time zones,
--     mostly active (started 30..360 days ago), some archived, some pending.
--   * the rest of the logs: users 21..U, sessions of one to three segments (pause/resume)
--     spread over the past year, each in one of the user's groups active at that time (or in
--     none), no two logs of a person overlapping, all ended an hour ago or earlier.
--   * about 60 notifications per user (milestones and generic), most of them read.
--   * bench.clock_users: 1024 users (from 21 on) with an active group each, for the clock cycles.
--   * what the triggers of V10 would have kept (history and streaks): target_history (every
--     group's target and every member's override, since '-infinity', as the groups and
--     group_members insert triggers write them) and member_period_totals (rebuilt for every
--     group by rebuild_member_period_totals, the function the application itself uses: seconds
--     per member and period, goal met, runs and best runs).
--
-- Speed: the rows go in with session_replication_role = replica (set locally in this
-- transaction only), which skips triggers and foreign-key checks. The data is made valid
-- by construction (time_logs.user_id and group_id set as the trigger would, logs inside their
-- session's window and not in the future, one owner per group equal to groups.owner_id, group
-- status as the trigger would set it) and checked at the end, before the commit; the
-- exclusion constraint (no overlapping logs) and the unique indexes stay enforced throughout.

\set ON_ERROR_STOP on

begin;
set local session_replication_role = replica;
set local synchronous_commit = off;
set local work_mem = '256MB';
select setseed(0.42);

create temp table p on commit drop as
select :logs::bigint                                   as logs,
       greatest(1100, :logs::bigint / 700)::int        as users,
       greatest(1100, :logs::bigint / 700)::int / 10   as groups,
       now()                                           as t_now,
       now() - interval '365 days'                     as t_from,
       now() - interval '1 hour'                       as t_to;

-- ------------------------------------------------------------------ people
insert into profiles (id, email, display_name, created_at, updated_at)
select md5('bench-user-' || n)::uuid, 'bench-user-' || n || '@example.com', 'Bench User ' || n,
       p.t_from - interval '30 days', p.t_from - interval '30 days'
  from p, generate_series(1, p.users) n;

insert into auth_identities (provider, subject, profile_id, created_at)
select 'cognito', 'bench-user-' || n, md5('bench-user-' || n)::uuid, p.t_from - interval '30 days'
  from p, generate_series(1, p.users) n;

-- ------------------------------------------------------------------ groups
-- group 1 is the hot group; 2 .. groups+1 the others
create temp table g on commit drop as
select n                                    as g,
       md5('bench-group-' || n)::uuid       as id,
       case when n = 1 then 20 else 5 + (random() * 45)::int end as size,
       case when n = 1 then 0 else (random() * 1e9)::int end     as offset_,
       case when n = 1 then 'Europe/Paris'
            else (array['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney',
                        'America/Los_Angeles', 'Asia/Kolkata', 'Europe/London'])[1 + n % 8] end as timezone,
       case when n = 1 or n % 3 <> 0 then 'daily' else 'weekly' end::group_period as period,
       random()                             as r
  from p, generate_series(1, p.groups + 1) n;

-- windows: 1 = hot (365 days of history, ends tomorrow); 80 % active; 15 % archived; 5 % pending
alter table g add column start_at timestamptz, add column end_at timestamptz, add column status group_status;
update g set
    start_at = case when g.g = 1 then p.t_now - interval '365 days'
                    when r < 0.80 then p.t_now - (30 + r / 0.80 * 330) * interval '1 day'
                    when r < 0.95 then p.t_now - interval '365 days' + (r - 0.80) * 1000 * interval '1 day'
                    else p.t_now + (1 + (r - 0.95) * 400) * interval '1 day' end
  from p;
update g set
    end_at = case when g.g = 1 then start_at + interval '366 days'
                  when r < 0.80 then start_at + interval '366 days'
                  when r < 0.95 then start_at + interval '120 days'
                  else start_at + interval '100 days' end,
    status = case when r >= 0.95 and g.g <> 1 then 'pending'
                  when r >= 0.80 and g.g <> 1 then 'archived'
                  else 'active' end::group_status;

create temp table m on commit drop as
select g.id as group_id, g.g, k,
       case when g.g = 1 then md5('bench-user-' || (k + 1))::uuid
            else md5('bench-user-' || (21 + (g.offset_ + k) % (p.users - 20)))::uuid end as user_id,
       case when k = 0 then 'owner' when k < 3 and g.size > 12 then 'admin' else 'member' end::member_role as role,
       case when random() < 0.1 then 15 + (random() * 100)::int end as override_minutes,
       g.start_at - interval '1 day' + k * interval '1 minute' as created_at
  from g, p, generate_series(0, g.size - 1) k;

insert into groups (id, owner_id, name, description, start_at, end_at, timezone, period,
                    period_target_minutes, status, created_at, updated_at)
select g.id, m.user_id,
       case when g.g = 1 then 'Hot group' else 'Focus group ' || g.g end,
       'Benchmark group ' || g.g || ' (' || g.period || ', ' || g.timezone || ')',
       g.start_at, g.end_at, g.timezone, g.period,
       case when g.period = 'daily' then 30 + (g.r * 210)::int else 120 + (g.r * 1380)::int end,
       g.status, g.start_at - interval '1 day', g.start_at - interval '1 day'
  from g join m on m.g = g.g and m.k = 0;

insert into group_members (group_id, user_id, role, override_period_target_minutes, created_at)
select group_id, user_id, role, override_minutes, created_at from m;

-- each user's groups, once
create temp table mine on commit drop as
select user_id, array_agg(group_id order by group_id) as groups from m group by user_id;
create index on mine (user_id);
create index on m (user_id);
analyze g; analyze m; analyze mine;

-- ---------------------------------------------------------------- sessions
-- One row per session: user, slot in the year, segments (logs), group.
create temp table s on commit drop as
-- the hot group: every member, one session a day, one log
select md5('bench-user-' || u)::uuid as user_id,
       md5('bench-group-1')::uuid    as group_id,
       p.t_now - interval '365 days' + d * interval '1 day'
           + interval '1 hour' + random() * interval '20 hours' as started_at,
       1 as segments
  from p, generate_series(1, 20) u, generate_series(0, 364) d
union all
-- everyone else: about logs / 2 sessions of 1..3 segments, spread evenly over each user's year
select o.user_id,
       case when random() < 0.9 and mine.groups is not null
            then mine.groups[1 + (o.j % cardinality(mine.groups))] end,
       o.slot_start + random() * greatest(o.slot - interval '4 hours', interval '0'),
       o.segments
  from (select md5('bench-user-' || u)::uuid as user_id, j,
               p.t_from + j * ((p.t_to - p.t_from) / per_user.sessions) as slot_start,
               (p.t_to - p.t_from) / per_user.sessions as slot,
               1 + (random() * 2)::int as segments
          from p,
               generate_series(21, p.users) u,
               lateral (select greatest(1, round((p.logs - 7300) / 2.0 / (p.users - 20)
                                                 * (0.25 + 1.5 * ((u * 7919) % 1000) / 1000.0)))::int as sessions) per_user,
               generate_series(0, per_user.sessions - 1) j) o
  left join mine on mine.user_id = o.user_id;
analyze s;

-- a session's group must have been active then; otherwise it is a session of no group
update s set group_id = null
  from g
 where g.id = s.group_id
   and not (s.started_at >= g.start_at and s.started_at + interval '4 hours' < g.end_at);

alter table s add column id uuid default gen_random_uuid(), add column participant_id uuid default gen_random_uuid();
-- segment k (0-based) starts 75 minutes after the one before and lasts 10..65 minutes
create temp table l on commit drop as
select s.id as session_id, s.participant_id, s.user_id, s.group_id,
       s.started_at + k * interval '75 minutes' as started_at,
       s.started_at + k * interval '75 minutes' + (10 + random() * 55) * interval '1 minute' as ended_at,
       case when random() < 0.1 then 'manual' else 'clock' end::time_log_source as source
  from s, generate_series(0, s.segments - 1) k, p
 where s.started_at + k * interval '75 minutes' + interval '65 minutes' < p.t_to;

insert into sessions (id, group_id, creator_id, status, started_at, ended_at, segment_started_at, transitioned_at, created_at)
select s.id, s.group_id, s.user_id, 'ended', min(l.started_at), max(l.ended_at), null, max(l.ended_at),
       min(l.started_at) - interval '2 minutes'
  from s join l on l.session_id = s.id
 group by s.id, s.group_id, s.user_id;

insert into session_participants (id, session_id, user_id, role, joined_at)
select s.participant_id, s.id, s.user_id, 'host', min(l.started_at)
  from s join l on l.session_id = s.id
 group by s.id, s.participant_id, s.user_id;

-- in time order, as they would have been written
insert into time_logs (participant_id, user_id, group_id, started_at, ended_at, source, created_at)
select participant_id, user_id, group_id, started_at, ended_at, source, ended_at
  from l order by ended_at;

-- three hot-group members are focusing right now (a running session, segment opened 30 minutes ago)
with running as (
    insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at, transitioned_at, created_at)
    select md5('bench-running-' || u)::uuid, md5('bench-group-1')::uuid, md5('bench-user-' || u)::uuid,
           'running', p.t_now - interval '30 minutes', p.t_now - interval '30 minutes', p.t_now - interval '30 minutes',
           p.t_now - interval '31 minutes'
      from p, generate_series(1, 3) u
    returning id, creator_id, group_id, started_at)
, host as (
    insert into session_participants (session_id, user_id, role, joined_at)
    select id, creator_id, 'host', started_at from running
    returning id, session_id, user_id, joined_at)
-- the open segment of each: a time log without an end, as the sessions trigger writes it
insert into time_logs (participant_id, user_id, group_id, started_at, ended_at, source, created_at)
select host.id, host.user_id, running.group_id, host.joined_at, null, 'clock', host.joined_at
  from host join running on running.id = host.session_id;

-- ----------------------------------------------------------- notifications
-- about 60 per user over the year: even ones a milestone of one of the user's groups, odd ones generic
insert into notifications (recipient_id, actor_id, kind, status, title, body, group_id, subject_id,
                           period_start, created_at, read_at)
select x.user_id, null, x.kind, case when x.read then 'read' else 'pending' end::notification_status,
       case x.kind when 'generic' then 'News ' || x.i else 'Someone reached the goal' end,
       'Benchmark notification ' || x.i, x.group_id,
       case when x.kind = 'milestone_member' then x.user_id end,
       case when x.kind = 'milestone_member' then date_trunc('day', x.created_at) end,
       x.created_at, case when x.read then x.created_at + interval '1 hour' end
  from (select md5('bench-user-' || u)::uuid as user_id, i,
               case when i % 2 = 0 and mine.groups is not null then 'milestone_member' else 'generic' end::notification_kind as kind,
               case when i % 2 = 0 and mine.groups is not null then mine.groups[1 + i % cardinality(mine.groups)] end as group_id,
               date_trunc('milliseconds', p.t_to - i * interval '6 days' - random() * interval '5 days') as created_at,
               i > 3 as read
          from p cross join generate_series(1, p.users) u cross join generate_series(0, 59) i
          left join mine on mine.user_id = md5('bench-user-' || u)::uuid) x;

-- ------------------------------------------------- the clock-cycle's users
-- the first 1024 of users 21.. that are members of a group active for at least another day:
-- the load and the database-only replay run clock cycles as them, each in that group
create schema bench;
create table bench.clock_users (k int primary key, n int not null, profile_id uuid not null, group_id uuid not null);
insert into bench.clock_users
select row_number() over (order by n), n, md5('bench-user-' || n)::uuid, group_id
  from (select n, (select m.group_id from m join g on g.g = m.g
                    where m.user_id = md5('bench-user-' || n)::uuid and g.status = 'active'
                      and g.end_at > now() + interval '1 day'
                    order by m.group_id limit 1) as group_id
          from p, generate_series(21, p.users) n) u
 where group_id is not null
 order by n
 limit 1024;

-- ------------------------------------------------- history and streaks (V10)
-- The migration backfills these for rows already there, but the bench migrates an empty
-- database, and the inserts above ran without the triggers that keep them.
insert into target_history (group_id, user_id, since, target_minutes)
select id, null, '-infinity', period_target_minutes from groups;
insert into target_history (group_id, user_id, since, target_minutes)
select group_id, user_id, '-infinity', override_period_target_minutes
  from group_members where override_period_target_minutes is not null;
-- statistics first: the rebuild's statements are planned on them (an index scan per group)
analyze groups; analyze group_members; analyze time_logs; analyze target_history;
-- every group's totals and runs, one group at a time (~5 s at 1 M logs: the runs are most of it);
-- bench/lib/scale.sh reads the line it prints
select clock_timestamp() as rebuild_began \gset
select count(*) as groups_rebuilt from (select rebuild_member_period_totals(id, '-infinity') from groups) x \gset
select format('totals rebuilt: %s rows for %s groups in %s s', (select count(*) from member_period_totals), :groups_rebuilt,
              round(extract(epoch from clock_timestamp() - :'rebuild_began'::timestamptz)::numeric, 1));
analyze member_period_totals;

-- ------------------------------------------------------------------ checks
-- what the triggers would have refused, checked before the commit
do $$
declare
    bad bigint;
begin
    select count(*) into bad from time_logs l
      join session_participants sp on sp.id = l.participant_id
      join sessions s on s.id = sp.session_id
     where l.user_id <> sp.user_id or l.group_id is distinct from s.group_id
        or l.ended_at > now() or l.started_at < s.started_at
        or (s.ended_at is not null and l.ended_at > s.ended_at);
    if bad > 0 then raise exception '% time logs break the time_logs trigger''s rules', bad; end if;

    select count(*) into bad from groups g
     where (select count(*) from group_members m where m.group_id = g.id and m.role = 'owner') <> 1
        or not exists (select 1 from group_members m where m.group_id = g.id and m.role = 'owner' and m.user_id = g.owner_id);
    if bad > 0 then raise exception '% groups without exactly one owner member', bad; end if;

    select count(*) into bad from groups
     where status <> case when end_at <= now() then 'archived' when start_at > now() then 'pending' else 'active' end::group_status;
    if bad > 0 then raise exception '% groups with a status the triggers would not give', bad; end if;

    select count(*) into bad from sessions s left join groups g on g.id = s.group_id
     where (s.group_id is not null and g.id is null)
        or not exists (select 1 from profiles where id = s.creator_id);
    if bad > 0 then raise exception '% sessions with a dangling reference', bad; end if;

    select count(*) into bad from groups g
     where not exists (select 1 from target_history h where h.group_id = g.id and h.user_id is null);
    if bad > 0 then raise exception '% groups without a target in target_history', bad; end if;

    -- the hot group's totals against a fresh count: its closed logs cut at every local midnight
    -- of Europe/Paris (not by group_periods, which the rebuild used), per member and day
    select count(*) into bad
      from (select t.user_id, t.period_start, t.seconds
              from member_period_totals t where t.group_id = md5('bench-group-1')::uuid) t
      full join (
            select l.user_id, d.day_start as period_start,
                   sum(extract(epoch from least(l.ended_at, d.day_end) - greatest(l.started_at, d.day_start))) as seconds
              from groups g
              cross join lateral (
                    select greatest(x at time zone 'Europe/Paris', g.start_at) as day_start,
                           least((x + interval '1 day') at time zone 'Europe/Paris', g.end_at) as day_end
                      from generate_series(date_trunc('day', g.start_at at time zone 'Europe/Paris'),
                                           date_trunc('day', now() at time zone 'Europe/Paris'),
                                           interval '1 day') x) d
              join time_logs l on l.group_id = g.id and l.ended_at is not null
                              and l.started_at < d.day_end and l.ended_at > d.day_start
             where g.id = md5('bench-group-1')::uuid
             group by l.user_id, d.day_start) f
        on f.user_id = t.user_id and f.period_start = t.period_start
     where t.seconds is null or f.seconds is null or abs(t.seconds - f.seconds) > 0.001;
    if bad > 0 then raise exception '% of the hot group''s member-day totals differ from a fresh count of its logs', bad; end if;
    select count(*) into bad from member_period_totals where group_id = md5('bench-group-1')::uuid;
    -- (a log a day for each of the 20, at a random hour: two may fall on one local day, ~290 days each)
    if bad < 20 * 250 then raise exception 'the hot group has only % member-day totals (20 members, a log a day for 365 days)', bad; end if;

    -- and its runs: a met day continues the run of the day before, an unmet one ends it
    select count(*) into bad
      from (select t.met, t.run, t.seconds,
                   coalesce(m.override_period_target_minutes, g.period_target_minutes) as target_minutes,
                   lag(t.run) over w as run_before, lag(t.period_end) over w as end_before, t.period_start
              from member_period_totals t
              join groups g on g.id = t.group_id
              join group_members m on m.group_id = t.group_id and m.user_id = t.user_id
             where t.group_id = md5('bench-group-1')::uuid
            window w as (partition by t.user_id order by t.period_start)) r
     where r.met <> (r.seconds >= 60 * r.target_minutes)
        or r.run <> case when not r.met then 0
                         when r.end_before = r.period_start then r.run_before + 1 else 1 end;
    if bad > 0 then raise exception '% of the hot group''s member-day totals have a wrong goal or run', bad; end if;
end;
$$;

commit;

-- the last line of the output: what was made
select (select count(*) from profiles) as users, (select count(*) from groups) as groups,
       (select count(*) from group_members) as memberships, (select count(*) from sessions) as sessions,
       (select count(*) from time_logs) as time_logs, (select count(*) from notifications) as notifications,
       (select count(*) from member_period_totals) as period_totals;
