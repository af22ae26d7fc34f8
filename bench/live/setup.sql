-- The "live" scenario's data, added to a database made by bench/generate.sql (one transaction).
--
--   psql -v streams=10000 -v hot=200 -v groups=500 -v writers=100 -v slots=90 -v step=2 -f bench/live/setup.sql
--
-- Every stream of the load client is one person, a member of the group it subscribes to:
--   * the hot group (md5('bench-group-1')): its 20 members (users 1..20, three of them focusing)
--     and hot - 20 new people, added as members: :hot streams, the ones measured;
--   * :groups new groups (md5('bench-live-group-<j>')), active, daily, in 8 time zones: the other
--     :streams - :hot streams, their members in turn (the first of each its owner).
-- The new people are users U+1 .. U+:streams-20 (U = the last bench user generate.sql made), so
-- `./lockin tokens U+:streams-20` has a token for each.
--
-- The writers are the first :writers new members of the hot group: no time logged, not focusing,
-- so their seconds_done moves only by the load client's writes. Each hosts one session of the
-- hot group, ended, whose window is the last :slots * :step seconds before now (minus 10 s):
-- the client's manual logs go into it, slot j = [first + j * step s, + 1 s): in the past, inside
-- the window, never overlapping, and inside the hot group's current period (today in Paris;
-- bench/lib/live.sh waits until enough of that day has passed before it runs this).
--
-- Rows go in with session_replication_role = replica (triggers and foreign-key checks off), as
-- in generate.sql, with what the triggers would set (owner, status) set here and checked after.
-- Outputs: bench.live_streams (k, n, group_id, kind) and bench.live_writers (n, session_id,
-- profile_id, first_ms).

\set ON_ERROR_STOP on

begin;
set local session_replication_role = replica;

create temp table lp on commit drop as
select (select max(substr(subject, 12)::int) from auth_identities where subject like 'bench-user-%') as u0,
       :streams::int as streams, :hot::int as hot, :groups::int as groups, :writers::int as writers,
       now() - interval '10 seconds' as t_end,
       now() - interval '10 seconds' - :slots * :step * interval '1 second' as t_first,
       date_trunc('day', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris' as period_start;

do $$
declare
    v lp%rowtype;
begin
    select * into v from lp;
    if v.hot < 20 + v.writers or v.streams < v.hot then
        raise exception 'need streams >= hot >= 20 + writers (streams %, hot %, writers %)', v.streams, v.hot, v.writers;
    end if;
    if v.t_first < v.period_start then
        raise exception 'the writers'' slots would start before the hot group''s period (% < %)', v.t_first, v.period_start;
    end if;
end;
$$;

-- the streams: k = 1.. ; n = the bench user; group and kind
create table bench.live_streams (k int primary key, n int not null, group_id uuid not null, kind text not null);
insert into bench.live_streams
select k,
       case when k <= 20 then k else lp.u0 + k - 20 end,
       case when k <= lp.hot then md5('bench-group-1')::uuid
            else md5('bench-live-group-' || (1 + (k - lp.hot - 1) % lp.groups))::uuid end,
       case when k <= lp.hot then 'hot' else 'other' end
  from lp, generate_series(1, lp.streams) k;

-- the new people
insert into profiles (id, email, display_name, created_at, updated_at)
select md5('bench-user-' || n)::uuid, 'bench-user-' || n || '@example.com', 'Bench User ' || n,
       now() - interval '400 days', now() - interval '400 days'
  from bench.live_streams where k > 20;
insert into auth_identities (provider, subject, profile_id, created_at)
select 'cognito', 'bench-user-' || n, md5('bench-user-' || n)::uuid, now() - interval '400 days'
  from bench.live_streams where k > 20;

-- the other groups (only those with a subscriber), owned by their first member
create temp table lg on commit drop as
select group_id, min(k) as first_k, count(*) as size,
       (array['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney',
              'America/Los_Angeles', 'Asia/Kolkata', 'Europe/London'])[1 + (min(k) % 8)] as timezone
  from bench.live_streams where kind = 'other' group by group_id;
insert into groups (id, owner_id, name, description, start_at, end_at, timezone, period,
                    period_target_minutes, status, created_at, updated_at)
select lg.group_id, md5('bench-user-' || s.n)::uuid, 'Live group ' || lg.first_k,
       'Benchmark group of the live scenario (' || lg.size || ' members, ' || lg.timezone || ')',
       now() - interval '30 days', now() + interval '300 days', lg.timezone, 'daily', 60,
       'active', now() - interval '31 days', now() - interval '31 days'
  from lg join bench.live_streams s on s.k = lg.first_k;
-- their targets, as the groups insert trigger (groups_keep_target_history) would have kept them
insert into target_history (group_id, user_id, since, target_minutes)
select g.id, null, '-infinity', g.period_target_minutes from groups g join lg on lg.group_id = g.id;

-- memberships: the new hot members, and everyone of the other groups
insert into group_members (group_id, user_id, role, created_at)
select s.group_id, md5('bench-user-' || s.n)::uuid,
       case when lg.first_k = s.k then 'owner' else 'member' end::member_role,
       now() - interval '31 days'
  from bench.live_streams s left join lg on lg.group_id = s.group_id
 where s.k > 20;

-- the writers, each with an ended session of the hot group around their slots
create table bench.live_writers (n int primary key, session_id uuid not null, profile_id uuid not null, first_ms bigint not null);
insert into bench.live_writers
select s.n, md5('bench-live-session-' || s.n)::uuid, md5('bench-user-' || s.n)::uuid,
       floor(extract(epoch from lp.t_first) * 1000)::bigint
  from lp, bench.live_streams s
 where s.k > 20 and s.k <= 20 + lp.writers;
insert into sessions (id, group_id, creator_id, status, started_at, ended_at, segment_started_at, transitioned_at, created_at)
select w.session_id, md5('bench-group-1')::uuid, w.profile_id, 'ended',
       to_timestamp(w.first_ms / 1000.0), lp.t_end, null, lp.t_end, to_timestamp(w.first_ms / 1000.0) - interval '1 minute'
  from lp, bench.live_writers w;
insert into session_participants (session_id, user_id, role, joined_at)
select w.session_id, w.profile_id, 'host', to_timestamp(w.first_ms / 1000.0)
  from bench.live_writers w;

-- what the triggers would have refused
do $$
declare
    bad bigint;
begin
    select count(*) into bad from groups g
     where (select count(*) from group_members m where m.group_id = g.id and m.role = 'owner') <> 1
        or not exists (select 1 from group_members m where m.group_id = g.id and m.role = 'owner' and m.user_id = g.owner_id);
    if bad > 0 then raise exception '% groups without exactly one owner member', bad; end if;
    select count(*) into bad from bench.live_streams s
     where not exists (select 1 from group_members m where m.group_id = s.group_id and m.user_id = md5('bench-user-' || s.n)::uuid);
    if bad > 0 then raise exception '% streams of a person who is not a member of their group', bad; end if;
    select count(*) into bad from bench.live_writers w
     where exists (select 1 from time_logs l where l.user_id = w.profile_id);
    if bad > 0 then raise exception '% writers with time logged already', bad; end if;
end;
$$;

commit;
analyze profiles, auth_identities, groups, group_members, sessions, session_participants;

select (select count(*) from bench.live_streams) as streams,
       (select count(*) from bench.live_streams where kind = 'hot') as hot,
       (select count(distinct group_id) from bench.live_streams where kind = 'other') as groups,
       (select count(*) from bench.live_writers) as writers,
       (select max(n) from bench.live_streams) as last_user;
