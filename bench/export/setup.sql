-- The export scenario's person (bench/lib/export.sh): bench-export-1 (profile md5('bench-export-1')::uuid,
-- auth identity ('cognito', 'bench-export-1'), so `./lockin tokens 1 bench-export-` is them), with :logs
-- clocked logs of 20 s spread evenly over the past year (from 365 days ago to an hour ago), all in one
-- ended session of their own, in no group: a year's export of them is :logs rows in each format.
--
--   psql -v logs=1000000 -f bench/export/setup.sql     (into the benchmark's database, after generate.sql)
--
-- As generate.sql: one transaction, triggers and foreign-key checks off (session_replication_role =
-- replica), the rows valid by construction (user_id as the trigger would copy it, every log inside its
-- session's window); the exclusion constraint (no overlapping logs) stays enforced.

\set ON_ERROR_STOP on

begin;
set local session_replication_role = replica;
set local synchronous_commit = off;

create temp table e on commit drop as
select md5('bench-export-1')::uuid       as profile_id,
       md5('bench-export-session')::uuid as session_id,
       md5('bench-export-host')::uuid    as participant_id,
       now() - interval '365 days'       as t_from,
       (interval '365 days' - interval '1 hour') / :logs as step;

insert into profiles (id, email, display_name, created_at, updated_at)
select profile_id, 'bench-export-1@example.com', 'Bench Export', t_from - interval '1 day', t_from - interval '1 day' from e;

insert into auth_identities (provider, subject, profile_id, created_at)
select 'cognito', 'bench-export-1', profile_id, t_from - interval '1 day' from e;

insert into sessions (id, group_id, creator_id, status, started_at, ended_at, segment_started_at, created_at, transitioned_at)
select session_id, null, profile_id, 'ended', t_from, now() - interval '30 minutes', null, t_from, now() - interval '30 minutes' from e;

insert into session_participants (id, session_id, user_id, role, joined_at)
select participant_id, session_id, profile_id, 'host', t_from from e;

insert into time_logs (participant_id, user_id, group_id, started_at, ended_at, source)
select e.participant_id, e.profile_id, null, e.t_from + i * e.step, e.t_from + i * e.step + interval '20 seconds', 'clock'
  from e, generate_series(0, :logs - 1) i;

commit;

select count(*) from time_logs where user_id = md5('bench-export-1')::uuid;
