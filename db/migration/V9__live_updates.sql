-- ---------------------------------------------------------------------------
-- Live updates: the database tells every application instance what changed
-- ---------------------------------------------------------------------------
--
-- Every instance LISTENs on the channel lockin_live. Triggers send a short
-- message for each change that moves a leaderboard, someone's presence or
-- an inbox, so every writer is covered (the API, the archival, the runaway
-- guard, an operator's SQL), and PostgreSQL delivers it only when, and only
-- if, the transaction commits, in commit order. Identical messages of one
-- transaction are delivered once, so a statement touching many rows of one
-- group sends one "board" message.
--
-- Messages (text, fields separated by one space):
--   board <group>                              the group's leaderboard may have changed
--   member <group> <user> <1|0>                 someone joined (1) or left (0) the group
--   archived <group>                            the group was archived
--   presence <group> <user> <session> <1|0>     someone started (1) or stopped (0) focusing
--   notification <recipient> <id> <kind> <group|->   a new notification in someone's inbox
--   goal <epoch milliseconds>                   a goal check is due then (goal_checks)

create function notify_live(p_message text) returns void
    language sql
as $$
    select pg_notify('lockin_live', p_message);
$$;

comment on function notify_live(text) is
    'Sends one message on the channel lockin_live (delivered to every listening instance at commit).';

-- ---------------------------------------------------------------------------
-- Goals crossed while the clock runs
-- ---------------------------------------------------------------------------
--
-- A running member's time grows by itself, so the moment their goal is
-- crossed is known in advance: now + what is left. goal_checks holds that
-- moment for each running member whose goal is not met yet (or, when the
-- period ends first, the period's end: the check then starts over in the
-- next period). Instances wake at the earliest due_at (the "goal" message
-- tells them) and run process_due_goal_checks, which writes the milestones
-- and schedules the next check. A pause, a stop or leaving the group removes
-- the row; a manual log or a target change moves it.

create table goal_checks (
    group_id uuid not null references groups (id) on delete cascade,
    user_id  uuid not null references profiles (id) on delete cascade,
    due_at   timestamptz not null,
    primary key (group_id, user_id)
);

create index goal_checks_due_idx on goal_checks (due_at);

comment on table goal_checks is
    'When a running member''s goal will be crossed (or their period ends first): the moment to write milestones.';

-- The milestones of one group as of p_at, for the members p_users whose
-- time changed: milestone_member to every member for each of them who met
-- the goal, milestone_group to every member when everyone has; each at most
-- once per period (unique indexes).
create function record_group_milestones(p_group uuid, p_at timestamptz, p_users uuid[])
    returns void
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
begin
    with progress as (
             select p.* from group_member_period_progress_at(p_at) p where p.group_id = p_group),
         member_milestones as (
             insert into notifications (recipient_id, kind, title, body, group_id, subject_id, period_start)
             select m.user_id, 'milestone_member',
                    left(p.display_name || ' reached the goal', 200),
                    p.display_name || ' focused ' || p.target_minutes || ' minutes in ' || g.name || ' this period.',
                    p_group, p.user_id, p.period_start
               from progress p
               join groups g on g.id = p.group_id
               join group_members m on m.group_id = p.group_id
              where p.goal_met
                and p.user_id = any (p_users)
             on conflict do nothing)
    insert into notifications (recipient_id, kind, title, body, group_id, period_start)
    select m.user_id, 'milestone_group', 'Everyone reached the goal',
           'Every member of ' || g.name || ' met this period''s goal.', p_group, x.period_start
      from (select min(period_start) as period_start from progress having bool_and(goal_met)) x
      join groups g on g.id = p_group
      join group_members m on m.group_id = p_group
    on conflict do nothing;
end;
$$;

-- Milestones follow the log: every period a written or closed log touches
-- (as in V4; the body is now record_group_milestones, shared with the goal
-- checks).
create or replace function record_milestones() returns trigger
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_group uuid;
    v_at timestamptz;
begin
    for v_group, v_at in
        select distinct l.group_id, least(now(), b.period_end - interval '1 microsecond')
          from new_logs l
          join groups g on g.id = l.group_id
          cross join lateral (values (l.started_at),
                                     (l.started_at + (l.ended_at - l.started_at) / 2),
                                     (l.ended_at - interval '1 microsecond')) point(at)
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, point.at) b
         where l.ended_at is not null
    loop
        perform record_group_milestones(v_group, v_at,
                                        array(select distinct user_id from new_logs where group_id = v_group));
    end loop;
    return null;
end;
$$;

-- (Re)schedules the goal check of each given member of a group while they
-- are focusing in the group's current period: due when their goal will be
-- crossed, or at the period's end if that comes first; now when the goal is
-- met but its milestone is not written yet (a target lowered under the time
-- already done); at the period's end once it is. No check otherwise (not
-- running, or the group's end has passed). Not before now + p_settle: a
-- segment the device dated back (an offline client replaying its start) is
-- given a few seconds, since the pause it replays next may end it in the
-- past, and a milestone must not come from time that was never focused.
-- (The crossing is computed from whole seconds done, so a check is never
-- early, and at most a second late.)
create function schedule_goal_checks(p_group uuid, p_users uuid[], p_settle interval default interval '0')
    returns void
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_first timestamptz;
begin
    with progress as (
             select p.user_id, p.period_start, p.period_end, p.goal_met,
                    now() + make_interval(secs => p.target_minutes * 60 - p.seconds_done) as crossing
               from group_member_period_progress_at(now()) p
              where p.group_id = p_group and p.user_id = any (p_users)
                and p.is_focusing and p.period_end > now()),
         planned as (
             select p.user_id,
                    greatest(d.due_at, now() + p_settle) as due_at
               from progress p
               cross join lateral (
                     select case when not p.goal_met then least(p.crossing, p.period_end)
                                 when exists (select 1 from notifications n
                                               where n.recipient_id = p.user_id and n.group_id = p_group
                                                 and n.period_start = p.period_start and n.subject_id = p.user_id
                                                 and n.kind = 'milestone_member') then p.period_end
                                 else now() end as due_at) d),
         dropped as (
             delete from goal_checks c
              where c.group_id = p_group and c.user_id = any (p_users)
                and not exists (select 1 from planned p where p.user_id = c.user_id)),
         scheduled as (
             insert into goal_checks (group_id, user_id, due_at)
             select p_group, p.user_id, p.due_at from planned p
             on conflict (group_id, user_id) do update set due_at = excluded.due_at
             returning due_at)
    select min(due_at) into v_first from scheduled;
    if v_first is not null then
        perform notify_live('goal ' || floor(extract(epoch from v_first) * 1000)::bigint);
    end if;
end;
$$;

-- Writes the milestones of every goal check that is due and schedules each
-- member's next one; returns when the next check is due (null: none). Safe
-- on every instance at once: each due row is taken by one of them (skip
-- locked), the milestones are unique anyway.
create function process_due_goal_checks()
    returns timestamptz
    language plpgsql
as $$
declare
    v_group uuid;
    v_users uuid[];
begin
    for v_group, v_users in
        with due as (
            select group_id, user_id from goal_checks
             where due_at <= now()
             order by due_at
             limit 500
               for update skip locked)
        select group_id, array_agg(user_id) from due group by group_id
    loop
        perform record_group_milestones(v_group, now(), v_users);
        perform schedule_goal_checks(v_group, v_users);
        -- the board shows goal_met now
        perform notify_live('board ' || v_group);
    end loop;
    return (select min(due_at) from goal_checks);
end;
$$;

-- ---------------------------------------------------------------------------
-- The triggers that send the messages
-- ---------------------------------------------------------------------------

-- A log written, closed, moved or removed: the group's board; an open
-- segment opening or closing: presence, and the member's goal check.
create function time_logs_notify_live() returns trigger
    language plpgsql
as $$
declare
    v_session uuid;
begin
    if tg_op <> 'DELETE' and new.group_id is not null then
        perform notify_live('board ' || new.group_id);
    end if;
    if tg_op <> 'INSERT' and old.group_id is not null
       and (tg_op = 'DELETE' or old.group_id is distinct from new.group_id) then
        perform notify_live('board ' || old.group_id);
    end if;

    if tg_op = 'INSERT' and new.ended_at is null and new.group_id is not null then
        select session_id into v_session from session_participants where id = new.participant_id;
        perform notify_live('presence ' || new.group_id || ' ' || new.user_id || ' ' || v_session || ' 1');
        perform schedule_goal_checks(new.group_id, array[new.user_id],
                                     case when new.started_at < now() - interval '5 seconds'
                                          then interval '3 seconds' else interval '0' end);
    elsif tg_op <> 'INSERT' and old.ended_at is null and old.group_id is not null
          and (tg_op = 'DELETE' or new.ended_at is not null) then
        select session_id into v_session from session_participants where id = old.participant_id;
        perform notify_live('presence ' || old.group_id || ' ' || old.user_id || ' ' || v_session || ' 0');
        delete from goal_checks where group_id = old.group_id and user_id = old.user_id;
    elsif tg_op = 'INSERT' and new.group_id is not null
          and exists (select 1 from goal_checks where group_id = new.group_id and user_id = new.user_id) then
        -- a manual log while the member runs: the crossing comes sooner
        perform schedule_goal_checks(new.group_id, array[new.user_id]);
    end if;
    return null;
end;
$$;

create trigger time_logs_notify_live after insert or update or delete on time_logs
    for each row execute function time_logs_notify_live();

-- Members joining, leaving or changing their target.
create function group_members_notify_live() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'DELETE' then
        perform notify_live('board ' || old.group_id);
        perform notify_live('member ' || old.group_id || ' ' || old.user_id || ' 0');
        delete from goal_checks where group_id = old.group_id and user_id = old.user_id;
        return null;
    end if;
    perform notify_live('board ' || new.group_id);
    if tg_op = 'INSERT' then
        perform notify_live('member ' || new.group_id || ' ' || new.user_id || ' 1');
    elsif new.override_period_target_minutes is distinct from old.override_period_target_minutes then
        perform schedule_goal_checks(new.group_id, array[new.user_id]);
    end if;
    return null;
end;
$$;

create trigger group_members_notify_live after insert or update or delete on group_members
    for each row execute function group_members_notify_live();

-- A group archived, or its target, period, zone or window changed.
create function groups_notify_live() returns trigger
    language plpgsql
as $$
begin
    if new.status = 'archived' and old.status <> 'archived' then
        perform notify_live('board ' || new.id);
        perform notify_live('archived ' || new.id);
        delete from goal_checks where group_id = new.id;
    elsif (new.period_target_minutes, new.period, new.timezone, new.start_at, new.end_at)
          is distinct from (old.period_target_minutes, old.period, old.timezone, old.start_at, old.end_at) then
        perform notify_live('board ' || new.id);
        perform schedule_goal_checks(new.id, array(select user_id from goal_checks where group_id = new.id
                                                   union
                                                   select l.user_id from time_logs l
                                                     join group_members m on m.user_id = l.user_id and m.group_id = new.id
                                                    where l.ended_at is null and l.group_id = new.id));
    end if;
    return null;
end;
$$;

create trigger groups_notify_live after update on groups
    for each row execute function groups_notify_live();

-- A new name or picture shows on every board the person is on.
create function profiles_notify_live() returns trigger
    language plpgsql
as $$
begin
    perform notify_live('board ' || m.group_id) from group_members m where m.user_id = new.id;
    return null;
end;
$$;

create trigger profiles_notify_live after update of display_name, avatar_url on profiles
    for each row
    when ((new.display_name, new.avatar_url) is distinct from (old.display_name, old.avatar_url))
    execute function profiles_notify_live();

-- A new notification in someone's inbox.
create function notifications_notify_live() returns trigger
    language plpgsql
as $$
begin
    perform notify_live('notification ' || new.recipient_id || ' ' || new.id || ' ' || new.kind || ' '
                        || coalesce(new.group_id::text, '-'));
    return null;
end;
$$;

create trigger notifications_notify_live after insert on notifications
    for each row execute function notifications_notify_live();

-- ---------------------------------------------------------------------------
-- Who is focusing now in a person's active groups (GET /api/me/focus)
-- ---------------------------------------------------------------------------

-- One row per active group of p_user, and per member focusing in it (the
-- member columns null when nobody is): an open segment of a session of the
-- group. Reads each member's open segment through time_logs_one_open_segment.
create function focus_in_groups_of(p_user uuid)
    returns table (group_id uuid, group_name text, user_id uuid, display_name text, avatar_url text,
                   session_id uuid, since timestamptz)
    language sql stable
as $$
    select g.id, g.name, f.user_id, f.display_name, f.avatar_url, f.session_id, f.since
      from group_members mine
      join groups g on g.id = mine.group_id
      left join lateral (
            select l.user_id, p.display_name, p.avatar_url, sp.session_id, l.started_at as since
              from group_members m
              join time_logs l on l.user_id = m.user_id and l.ended_at is null and l.group_id = g.id
              join session_participants sp on sp.id = l.participant_id
              join profiles p on p.id = m.user_id
             where m.group_id = g.id
           ) f on true
     where mine.user_id = p_user
       and group_status_now(g.status, g.start_at) = 'active'
     order by g.name, g.id, f.since, f.user_id
$$;
