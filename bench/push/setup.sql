-- The "push" scenario's data (issue 27), added to a database made by bench/generate.sql (one
-- transaction):
--
--   psql -v warm=100 -v groups=200 -v sets=2 -v members=50 -v webhooks=100 \
--        -v hook_url=https://127.0.0.1:PORT/hook -f bench/push/setup.sql
--
-- :warm + :sets x :groups new groups (md5('bench-push-group-<g>')), active, daily, UTC, each of
-- :members new people (md5('bench-push-<g>-<m>'); the first its owner), every one with two phones:
-- an APNs device (a 64-hex-digit token) and an FCM device. bench.push_groups (k, group_id) numbers
-- the groups for bench/push/milestones.sql: the :warm first ones warm the server's delivery path
-- up (not measured), then :sets measured sets of :groups each (bench/lib/push.sh: one beside the
-- API's clock step, one beside its database-only replay). The warm-up groups and the first
-- :webhooks groups of each measured set have a webhook each (format standard, event
-- milestone_group) at :hook_url.
--
-- Rows go in with session_replication_role = replica (triggers off, as in generate.sql), with
-- what the triggers would set (owner) set here.

\set ON_ERROR_STOP on

begin;
set local session_replication_role = replica;

drop table if exists bench.push_groups;
create table bench.push_groups (k int primary key, group_id uuid not null);
insert into bench.push_groups select g, md5('bench-push-group-' || g)::uuid from generate_series(1, :warm + :sets * :groups) g;

insert into profiles (id, display_name)
select md5('bench-push-' || g || '-' || m)::uuid, 'Push ' || g || '.' || m
  from generate_series(1, :warm + :sets * :groups) g, generate_series(1, :members) m;

insert into groups (id, owner_id, name, start_at, end_at, timezone, period, period_target_minutes, status)
select p.group_id, md5('bench-push-' || p.k || '-1')::uuid, 'Push group ' || p.k,
       now() - interval '1 day', now() + interval '30 days', 'UTC', 'daily', 60, 'active'
  from bench.push_groups p;

insert into group_members (group_id, user_id, role, created_at)
select p.group_id, md5('bench-push-' || p.k || '-' || m)::uuid,
       case when m = 1 then 'owner' else 'member' end::member_role, now() - interval '1 day'
  from bench.push_groups p, generate_series(1, :members) m;

insert into devices (id, user_id, platform, token, locale)
select gen_random_uuid(), md5('bench-push-' || g || '-' || m)::uuid, d.platform,
       case d.platform when 'apns' then encode(sha256(convert_to('apns-' || g || '-' || m, 'UTF8')), 'hex')
                       else 'fcm-' || g || '-' || m end,
       'en'
  from generate_series(1, :warm + :sets * :groups) g, generate_series(1, :members) m, (values ('apns'), ('fcm')) d (platform);

insert into webhooks (id, group_id, url, events, format, secret)
select gen_random_uuid(), p.group_id, :'hook_url', array['milestone_group'], 'standard',
       'whsec_' || encode(gen_random_bytes(32), 'base64')
  from bench.push_groups p
 where p.k <= :warm or (p.k - :warm - 1) % :groups < :webhooks;

drop sequence if exists bench.push_next;
create sequence bench.push_next;
commit;

analyze profiles; analyze groups; analyze group_members; analyze devices; analyze webhooks;
select (select count(*) from bench.push_groups) as groups,
       (select count(*) from devices d join group_members m on m.user_id = d.user_id
          join bench.push_groups p on p.group_id = m.group_id) as devices,
       (select count(*) from webhooks w join bench.push_groups p on p.group_id = w.group_id) as webhooks;
