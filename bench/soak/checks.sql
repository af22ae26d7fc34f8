-- ./lockin soak's checks in the database, after the load (bench/soak.sh): one line each,
-- "what|how many are wrong|of how many". soak_acks holds what the API acknowledged (acks.tsv of
-- bench/soak/client.js, in the order acknowledged): session <id> <step>; log <id> <session>
-- <started ms> <ended ms>; member <group> <user> <how>.
with last_step as (
    select distinct on (a) a::uuid as id, b as step
      from soak_acks where kind = 'session' order by a, n desc
), open_segments as (
    select sp.session_id, tl.user_id
      from time_logs tl join session_participants sp on sp.id = tl.participant_id
     where tl.ended_at is null
)
select 'acknowledged sessions missing from the database',
       (select count(*) from last_step l where not exists (select 1 from sessions s where s.id = l.id)),
       (select count(*) from last_step)
union all
select 'acknowledged starts whose session is not ended once everyone stopped',
       (select count(distinct s.id) from soak_acks k join sessions s on s.id = k.a::uuid
         where k.kind = 'session' and k.b = 'start' and s.status <> 'ended'),
       (select count(distinct a) from soak_acks where kind = 'session' and b = 'start')
union all
select 'acknowledged sessions whose last acknowledged step the database does not show',
       (select count(*) from last_step l join sessions s using (id)
         where not (case l.step when 'create' then s.status in ('scheduled', 'cancelled')
                                when 'stop' then s.status in ('ended', 'cancelled')
                                else false end)),
       (select count(*) from last_step)
union all
select 'acknowledged hand-made logs missing or not as sent',
       (select count(*) from soak_acks k
         where k.kind = 'log'
           and not exists (select 1 from time_logs t
                            where t.id = k.a::uuid and t.source = 'manual'
                              and abs(extract(epoch from t.started_at) * 1000 - k.c::numeric) < 1
                              and abs(extract(epoch from t.ended_at) * 1000 - k.d::numeric) < 1)),
       (select count(*) from soak_acks where kind = 'log')
union all
select 'acknowledged memberships (join links, invites) missing',
       (select count(*) from soak_acks k
         where k.kind = 'member'
           and not exists (select 1 from group_members m where m.group_id = k.a::uuid and m.user_id = k.b::uuid)),
       (select count(*) from soak_acks where kind = 'member')
union all
select 'overlapping time logs of one person',
       (select count(*) from time_logs a join time_logs b
            on a.user_id = b.user_id and a.id < b.id
           and tstzrange(a.started_at, a.ended_at) && tstzrange(b.started_at, b.ended_at)),
       (select count(*) from time_logs)
union all
select 'open segments of sessions not running (stuck)',
       (select count(*) from open_segments o join sessions s on s.id = o.session_id where s.status <> 'running'),
       (select count(*) from open_segments)
union all
select 'running sessions without their host''s open segment (stuck)',
       (select count(*) from sessions s
         where s.status = 'running'
           and not exists (select 1 from open_segments o where o.session_id = s.id and o.user_id = s.creator_id)),
       (select count(*) from sessions where status = 'running')
union all
select 'sessions still running or paused once everyone stopped',
       (select count(*) from sessions where status in ('running', 'paused')),
       (select count(*) from sessions);
