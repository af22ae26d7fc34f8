-- Reaching people outside the app (DOMAIN.md): the transactional outbox.
-- What is to be pushed or sent to a webhook is written here by triggers, in
-- the transaction of what caused it (a notification, a member joining or
-- leaving, a session starting), so it exists exactly when its cause
-- committed. Any instance delivers (app.lockin.notifications.Outbox):
-- outbox_claim leases due items with FOR UPDATE SKIP LOCKED, one instance
-- at a time per item and a webhook's items in order; outbox_finish records
-- each attempt, retries with exponential back-off and jitter until the item
-- is 24 hours old, then keeps it dead; a webhook failing for 24 hours is
-- turned off and its group's owner notified. The claims and the results
-- commit without waiting for the disk (synchronous_commit off, for their
-- transaction only): a database crash may forget the last fraction of a
-- second of them, and the items concerned are then claimed and sent again,
-- which the delivery's id lets a receiver drop (at least once, as always),
-- while 1,000 deliveries a second no longer queue their commits with the
-- requests' (BENCHMARKS.md, push). The items themselves are written in
-- their cause's transaction, as durable as it.

-- When the quiet hours p_user is in at p_at end, or null when they are not
-- in quiet hours (or have none). Quiet hours are wall-clock times in the
-- person's time zone and may wrap past midnight (22:00 to 07:00).
create or replace function quiet_hours_end(p_user uuid, p_at timestamptz) returns timestamptz
    language sql stable
as $$
    select case
               when q.f < q.t and q.local_time >= q.f and q.local_time < q.t
                   then (q.local_day + q.t) at time zone q.tz
               when q.f > q.t and q.local_time >= q.f
                   then (q.local_day + 1 + q.t) at time zone q.tz
               when q.f > q.t and q.local_time < q.t
                   then (q.local_day + q.t) at time zone q.tz
           end
      from (select s.quiet_hours_from as f, s.quiet_hours_to as t, s.quiet_hours_timezone as tz,
                   (p_at at time zone s.quiet_hours_timezone)::time as local_time,
                   (p_at at time zone s.quiet_hours_timezone)::date as local_day
              from notification_settings s
             where s.user_id = p_user and s.quiet_hours_from is not null) q
$$;

-- Whether a person wants a kind of notification pushed (notification_settings_of
-- states the defaults); kinds without a setting of their own are pushed.
create or replace function push_wanted(p_user uuid, p_kind text) returns boolean
    language sql stable
as $$
    select case p_kind
               when 'group_invite' then s.push_group_invite
               when 'milestone_member' then s.push_milestone_member
               when 'milestone_group' then s.push_milestone_group
               when 'session_autopaused' then s.push_session_autopaused
               when 'log_voided' then s.push_log_voided
               when 'presence' then s.push_presence
               else true
           end
      from notification_settings_of(p_user) s
$$;

-- Wakes the instances' dispatchers when the transaction commits (the live
-- channel carries it: every instance listens there already).
create or replace function outbox_wake() returns void
    language sql
as $$
    select pg_notify('lockin_live', 'outbox')
$$;

-- A push of every new notification to its recipient's devices, unless they
-- turned that kind off; invites and milestones wait for the end of quiet
-- hours. The webhook events milestone_member (of a member who does not
-- hide) and milestone_group, once per group period and webhook, whoever the
-- notifications were for.
create or replace function notifications_to_outbox() returns trigger
    language plpgsql
as $$
declare
    v_pushes integer;
    v_events integer;
begin
    insert into outbox (channel, device_id, event, payload, subject_id, next_attempt_at)
    select d.platform, d.id, n.kind::text,
           jsonb_build_object(
               'notification_id', n.id, 'kind', n.kind, 'group_id', n.group_id, 'title', n.title, 'body', n.body,
               'params', jsonb_build_object(
                   'group_name', g.name, 'actor_name', actor.display_name, 'subject_name', subject.display_name,
                   'target_minutes', case when n.kind in ('milestone_member', 'milestone_group')
                                          then g.period_target_minutes end)),
           n.recipient_id,
           case when n.kind in ('group_invite', 'milestone_member', 'milestone_group')
                then coalesce(quiet_hours_end(n.recipient_id, now()), now())
                else now() end
      from added n
      join devices d on d.user_id = n.recipient_id
      left join groups g on g.id = n.group_id
      left join profiles actor on actor.id = n.actor_id
      left join profiles subject on subject.id = n.subject_id
     where push_wanted(n.recipient_id, n.kind::text);
    get diagnostics v_pushes = row_count;

    insert into outbox (channel, webhook_id, event, event_key, payload, subject_id)
    select 'webhook', w.id, e.kind, e.event_key,
           jsonb_build_object('type', e.kind, 'timestamp', now(), 'data', e.data), e.subject_id
      from (select distinct on (n.group_id, n.kind, n.subject_id, n.period_start)
                   n.group_id, n.kind::text as kind, n.subject_id,
                   n.kind || ':' || coalesce(n.subject_id::text || ':', '') || n.period_start as event_key,
                   jsonb_strip_nulls(jsonb_build_object(
                       'group_id', g.id, 'group_name', g.name, 'period_start', n.period_start,
                       'user_id', n.subject_id, 'display_name', subject.display_name,
                       'target_minutes', coalesce(gm.override_period_target_minutes, g.period_target_minutes))) as data
              from added n
              join groups g on g.id = n.group_id
              left join profiles subject on subject.id = n.subject_id
              left join group_members gm on gm.group_id = n.group_id and gm.user_id = n.subject_id
             where n.kind in ('milestone_member', 'milestone_group')
               and (n.kind = 'milestone_group' or not gm.hidden_from_leaderboard)) e
      join webhooks w on w.group_id = e.group_id and w.enabled and e.kind = any (w.events)
    on conflict (webhook_id, event_key) do nothing;
    get diagnostics v_events = row_count;

    if v_pushes + v_events > 0 then
        perform outbox_wake();
    end if;
    return null;
end;
$$;

drop trigger if exists notifications_to_outbox on notifications;
create trigger notifications_to_outbox after insert on notifications
    referencing new table as added
    for each statement execute function notifications_to_outbox();

-- The events of one group to its webhooks that want them (nothing when the
-- group has none, or is being deleted).
create or replace function webhook_event(p_group uuid, p_kind text, p_data jsonb, p_subject uuid,
                                         p_event_key text default null)
    returns void
    language plpgsql
as $$
begin
    insert into outbox (channel, webhook_id, event, event_key, payload, subject_id)
    select 'webhook', w.id, p_kind, p_event_key,
           jsonb_build_object('type', p_kind, 'timestamp', now(), 'data', p_data), p_subject
      from webhooks w
     where w.group_id = p_group and w.enabled and p_kind = any (w.events)
    on conflict (webhook_id, event_key) do nothing;
    if found then
        perform outbox_wake();
    end if;
end;
$$;

-- member_joined and member_left: a membership begins or ends (leaving,
-- being removed, erasure's leave path). Hidden members are in the member
-- list by name, so their joining and leaving is no secret.
create or replace function group_members_to_outbox() returns trigger
    language plpgsql
as $$
declare
    v_member group_members := case when tg_op = 'INSERT' then new else old end;
begin
    if not exists (select 1 from webhooks w where w.group_id = v_member.group_id and w.enabled) then
        return null;
    end if;
    perform webhook_event(v_member.group_id,
                          case when tg_op = 'INSERT' then 'member_joined' else 'member_left' end,
                          jsonb_build_object('group_id', g.id, 'group_name', g.name,
                                             'user_id', p.id, 'display_name', p.display_name),
                          v_member.user_id)
       from groups g join profiles p on p.id = v_member.user_id
      where g.id = v_member.group_id;
    return null;
end;
$$;

drop trigger if exists group_members_to_outbox on group_members;
create trigger group_members_to_outbox after insert or delete on group_members
    for each row execute function group_members_to_outbox();

-- session_started, and presence pushes ("Alice started focusing in Finals
-- Week") to the group's members who asked for them: at most one a person
-- and group per 10 minutes, dropped in quiet hours. Nothing of a member who
-- hides from the leaderboard (hidden is hidden everywhere).
create or replace function sessions_to_outbox() returns trigger
    language plpgsql
as $$
declare
    v_group groups%rowtype;
    v_host group_members%rowtype;
    v_name text;
    v_pushed integer;
begin
    select * into v_group from groups where id = new.group_id;
    select * into v_host from group_members where group_id = new.group_id and user_id = new.creator_id;
    if not found or v_host.hidden_from_leaderboard then
        return null;
    end if;
    select display_name into v_name from profiles where id = new.creator_id;

    perform webhook_event(new.group_id, 'session_started',
                          jsonb_build_object('group_id', v_group.id, 'group_name', v_group.name, 'session_id', new.id,
                                             'user_id', new.creator_id, 'display_name', v_name),
                          new.creator_id);

    with wanting as (
             select m.user_id
               from group_members m
              where m.group_id = new.group_id and m.user_id <> new.creator_id
                and push_wanted(m.user_id, 'presence')
                and quiet_hours_end(m.user_id, now()) is null),
         due as (
             insert into presence_pushes as pp (user_id, group_id, pushed_at)
             select w.user_id, new.group_id, now() from wanting w
             on conflict (user_id, group_id) do update set pushed_at = excluded.pushed_at
                 where pp.pushed_at <= now() - interval '10 minutes'
             returning pp.user_id)
    insert into outbox (channel, device_id, event, payload, subject_id)
    select d.platform, d.id, 'presence',
           jsonb_build_object('notification_id', null, 'kind', 'presence', 'group_id', v_group.id,
                              'title', left(v_name || ' started focusing', 200),
                              'body', 'in ' || v_group.name,
                              'params', jsonb_build_object('group_name', v_group.name, 'actor_name', v_name,
                                                           'subject_name', null, 'target_minutes', null)),
           d.user_id
      from due join devices d on d.user_id = due.user_id;
    get diagnostics v_pushed = row_count;
    if v_pushed > 0 then
        perform outbox_wake();
    end if;
    return null;
end;
$$;

drop trigger if exists sessions_started_to_outbox on sessions;
create trigger sessions_started_to_outbox after insert on sessions
    for each row
    when (new.group_id is not null and new.started_at is not null)
    execute function sessions_to_outbox();
drop trigger if exists sessions_started_later_to_outbox on sessions;
create trigger sessions_started_later_to_outbox after update of started_at on sessions
    for each row
    when (new.group_id is not null and old.started_at is null and new.started_at is not null)
    execute function sessions_to_outbox();

-- The period summaries: for every enabled webhook that wants period_closed,
-- the last period of its group that ended after the webhook was made gets
-- one event with its final board (the board as members see it: who hides is
-- absent; former members of the period are on it, as on every past board),
-- whichever instance gets there first (the event key makes it once).
-- Returns how many events were written.
create or replace function outbox_period_summaries() returns integer
    language plpgsql
as $$
declare
    v_count integer := 0;
    v_row record;
begin
    for v_row in
        select w.id as webhook_id, w.group_id, g.name, g.period_target_minutes, b.period_start, b.period_end
          from webhooks w
          join groups g on g.id = w.group_id
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at,
                                                 least(now(), g.end_at) - interval '1 microsecond') cur
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at,
                                                 case when now() >= g.end_at then cur.period_start
                                                      else cur.period_start - interval '1 microsecond' end) b
         where w.enabled and 'period_closed' = any (w.events)
           and b.period_end <= now() and b.period_end > w.created_at and b.period_end > g.start_at
           and not exists (select 1 from outbox o where o.webhook_id = w.id
                              and o.event_key = 'period_closed:' || b.period_start)
    loop
        insert into outbox (channel, webhook_id, event, event_key, payload)
        values ('webhook', v_row.webhook_id, 'period_closed', 'period_closed:' || v_row.period_start,
                jsonb_build_object('type', 'period_closed', 'timestamp', now(), 'data', jsonb_build_object(
                    'group_id', v_row.group_id, 'group_name', v_row.name,
                    'period_start', v_row.period_start, 'period_end', v_row.period_end,
                    'target_minutes', v_row.period_target_minutes,
                    'board', period_summary_board(v_row.group_id, v_row.period_end - interval '1 microsecond'))))
        on conflict (webhook_id, event_key) do nothing;
        v_count := v_count + 1;
    end loop;
    if v_count > 0 then
        perform outbox_wake();
    end if;
    return v_count;
end;
$$;

-- The final board of the period of p_group containing p_at, as members see
-- it (who hides is absent; the period's former members are on it, as on
-- every past board), for period_closed: [{rank, user_id, display_name,
-- total_seconds, goal_met}], best first.
create or replace function period_summary_board(p_group uuid, p_at timestamptz) returns jsonb
    language sql stable
as $$
    select coalesce(jsonb_agg(jsonb_build_object('rank', r.rank, 'user_id', r.user_id, 'display_name', r.display_name,
                                                 'total_seconds', r.seconds_done, 'goal_met', r.goal_met)
                              order by r.rank, r.display_name), '[]'::jsonb)
      from (select e.*, rank() over (order by e.seconds_done desc) as rank
              from (select b.user_id, b.display_name, b.seconds_done, b.goal_met
                      from group_member_period_progress_at(p_at) b
                      join group_members gm on gm.group_id = b.group_id and gm.user_id = b.user_id
                     where b.group_id = p_group and not gm.hidden_from_leaderboard
                    union all
                    select f.user_id, f.display_name, f.seconds_done, f.goal_met
                      from former_members_at(p_group, p_at) f
                     where not f.hidden_from_leaderboard
                       and not exists (select 1 from group_members m
                                        where m.group_id = p_group and m.user_id = f.user_id)) e) r
$$;

-- Leases up to p_limit due items to the caller (p_instance) for p_lease: pending, due,
-- not leased by another instance (or its lease ran out: it crashed), and for
-- a webhook only its oldest pending item, while the webhook is on. Each
-- claim counts an attempt; the attempt's number fences outbox_finish. With
-- what the channel needs to reach the target.
drop function if exists outbox_claim(integer, interval);
drop function if exists outbox_claim(integer, interval, text);
create function outbox_claim(p_limit integer, p_lease interval, p_instance text)
    returns table (id uuid, channel text, target uuid, event text, payload text, attempt integer,
                   created_at timestamptz, platform text, token text, locale text,
                   url text, format text, secret text, previous_secret text)
    language sql
as $$
    select set_config('synchronous_commit', 'off', true);
    with due as (
             select o.id
               from outbox o
              where o.status = 'pending' and o.next_attempt_at <= now()
                and (o.leased_until is null or o.leased_until <= now())
                and (o.webhook_id is null
                     or (exists (select 1 from webhooks w where w.id = o.webhook_id and w.enabled)
                         and not exists (select 1 from outbox e
                                          where e.webhook_id = o.webhook_id and e.status = 'pending'
                                            and e.seq < o.seq)))
              order by o.next_attempt_at
              limit p_limit
                for update skip locked),
         claimed as (
             update outbox o
                set attempts = o.attempts + 1, leased_until = now() + p_lease, leased_by = p_instance,
                    last_attempt_at = now()
               from due
              where o.id = due.id
             returning o.*)
    select c.id, c.channel, coalesce(c.device_id, c.webhook_id), c.event, c.payload::text, c.attempts, c.created_at,
           d.platform, d.token, d.locale, w.url, w.format, w.secret,
           case when w.previous_secret_until > now() then w.previous_secret end
      from claimed c
      left join devices d on d.id = c.device_id
      left join webhooks w on w.id = c.webhook_id
$$;

-- Records what became of attempts (p_results: [{id, attempt, outcome,
-- status_code, error}], one element an attempt): delivered; gone (the device is removed, its items with it);
-- skipped (the channel is not configured here); refused (dead now); failed
-- (tried again after p_first_retry × 2^(attempt-1), at most an hour, with
-- jitter between half and all of it, unless the item is 24 hours old: then
-- dead). An attempt whose lease another instance took over meanwhile
-- (another attempt number) changes nothing. A webhook that has failed for 24
-- hours is turned off and its group's owner notified.
drop function if exists outbox_finish(jsonb, interval);
create function outbox_finish(p_results jsonb, p_first_retry interval)
    returns void
    language plpgsql
as $$
declare
    v_done record;
    v_hook webhooks%rowtype;
begin
    perform set_config('synchronous_commit', 'off', true);
    for v_done in
        with result as (
                 select * from jsonb_to_recordset(p_results)
                     as r (id uuid, attempt integer, outcome text, status_code integer, error text)),
             finished as (
                 update outbox o
                    set status = case
                                     when r.outcome = 'delivered' then 'delivered'
                                     when r.outcome = 'skipped' then 'skipped'
                                     when r.outcome in ('refused', 'gone') then 'dead'
                                     when o.created_at <= now() - interval '24 hours' then 'dead'
                                     else 'pending' end,
                        ended_at = case
                                       when r.outcome in ('delivered', 'skipped', 'refused', 'gone')
                                            or o.created_at <= now() - interval '24 hours' then now() end,
                        next_attempt_at = case
                                              when r.outcome = 'failed' then now() + least(
                                                  p_first_retry * power(2, least(r.attempt - 1, 20)),
                                                  interval '1 hour') * (0.5 + random() / 2)
                                              else o.next_attempt_at end,
                        leased_until = null,
                        leased_by = null,
                        last_status_code = r.status_code,
                        last_error = left(r.error, 500)
                   from result r
                  where o.id = r.id and o.attempts = r.attempt and o.status = 'pending'
                 returning o.id, o.device_id, o.webhook_id, r.outcome)
        select * from finished
    loop
        if v_done.outcome = 'gone' then
            delete from devices where id = v_done.device_id;
        elsif v_done.webhook_id is not null then
            if v_done.outcome = 'delivered' then
                update webhooks set failing_since = null where id = v_done.webhook_id and failing_since is not null;
            else
                update webhooks set failing_since = coalesce(failing_since, now())
                 where id = v_done.webhook_id
                returning * into v_hook;
                if v_hook.enabled and v_hook.failing_since <= now() - interval '24 hours' then
                    perform webhook_turn_off(v_hook.id);
                end if;
            end if;
        end if;
    end loop;
end;
$$;

-- A webhook that failed for 24 hours: off, and its group's owner told.
create or replace function webhook_turn_off(p_webhook uuid) returns void
    language plpgsql
as $$
declare
    v_hook webhooks%rowtype;
begin
    update webhooks set enabled = false, disabled_at = now()
     where id = p_webhook and enabled
    returning * into v_hook;
    if not found then
        return;
    end if;
    insert into notifications (recipient_id, kind, title, body, group_id)
    select g.owner_id, 'webhook_disabled', left('A webhook of ' || g.name || ' was turned off', 200),
           'Deliveries to ' || regexp_replace(v_hook.url, '^(https://[^/?#]+).*$', '\1')
               || ' failed for 24 hours, so LockIN stopped sending them. Fix the receiver, then turn the webhook on again.',
           g.id
      from groups g
     where g.id = v_hook.group_id;
end;
$$;

-- What the outbox holds, for the metrics: items pending, and the age of the
-- oldest one that is due.
create or replace function outbox_backlog(out pending bigint, out oldest_seconds double precision)
    language sql stable
as $$
    select count(*),
           coalesce(extract(epoch from now() - min(o.next_attempt_at) filter (where o.next_attempt_at <= now())), 0)
      from outbox o
     where o.status = 'pending'
$$;

-- Forgets what is over: a week after it ended, unless it is one of its
-- webhook's last 100 (the deliveries list); and a webhook's items beyond
-- its last 100 that ended. Returns how many went.
create or replace function outbox_purge() returns integer
    language plpgsql
as $$
declare
    v_count integer;
    v_more integer;
begin
    delete from outbox o
     where o.ended_at < now() - interval '7 days' and o.webhook_id is null;
    get diagnostics v_count = row_count;
    delete from outbox o
     using (select x.id
              from (select e.id, row_number() over (partition by e.webhook_id order by e.seq desc) as n
                      from outbox e
                     where e.webhook_id is not null) x
             where x.n > 100) old
     where o.id = old.id and o.status <> 'pending';
    get diagnostics v_more = row_count;
    return v_count + v_more;
end;
$$;
