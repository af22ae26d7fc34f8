-- Notifications and milestones: the inbox's rules, the milestones of goals
-- met (written in the transaction that logged the time), and the goal
-- checks that write them while the clock runs.
--
-- Every member of a group hears when someone first meets the period's goal
-- (milestone_member) and when everyone has (milestone_group); at most one of
-- each per member or group and period (unique indexes). A running member's
-- time grows by itself, so the moment their goal is crossed is known in
-- advance: goal_checks holds it, instances wake at the earliest due_at (the
-- "goal" message, R__12_live.sql) and run process_due_goal_checks. A pause,
-- a stop or leaving the group removes the row; a manual log or a target
-- change moves it.

-- Marking read stamps read_at by the database's clock. No invites to an
-- archived group, none accepted after. (That an invite is
-- answered once is the entity's rule, Notification.answer, under the row lock
-- Invites takes: an answer given twice changes nothing the database could see.)
create or replace function notifications_before_write() returns trigger
    language plpgsql
as $$
begin
    -- read_at is when the database learnt of the reading, by its clock; the first reading stays
    if tg_op = 'UPDATE' and new.read_at is distinct from old.read_at then
        new.read_at := coalesce(old.read_at, now());
    end if;
    if new.kind = 'group_invite' and (tg_op = 'INSERT' or new.status is distinct from old.status) then
        if (tg_op = 'INSERT' or new.status = 'accepted')
           and exists (select 1 from groups where id = new.group_id and status = 'archived' for share) then
            raise exception 'This group is archived: it takes no more members.' using errcode = 'LI409';
        end if;
    end if;
    return new;
end;
$$;

drop trigger if exists notifications_before_write on notifications;
create trigger notifications_before_write before insert or update on notifications
    for each row execute function notifications_before_write();

-- The milestones of a group's period as of p_at: "<name> reached the goal"
-- to every member (of someone who hides from the leaderboard: only to
-- themself, the owner and admins), and "everyone reached the goal" once all
-- have. The board is computed once for both kinds.
create or replace function record_group_milestones(p_group uuid, p_at timestamptz, p_users uuid[])
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
               join group_members subject on subject.group_id = p.group_id and subject.user_id = p.user_id
               join group_members m on m.group_id = p.group_id
              where p.goal_met
                and p.user_id = any (p_users)
                and member_shown(subject, m)
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
-- (record_group_milestones, shared with the goal checks).
create or replace function record_milestones() returns trigger
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_group uuid;
    v_at timestamptz;
begin
    if erasure_in_progress() then
        return null;   -- logs given to an erased person's anonymous profile: no new time, no milestone
    end if;
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

-- one trigger per event: PostgreSQL allows a transition table only on single-event triggers
drop trigger if exists time_logs_milestones on time_logs;
create trigger time_logs_milestones after insert on time_logs
    referencing new table as new_logs
    for each statement execute function record_milestones();

drop trigger if exists time_logs_milestones_on_close on time_logs;
create trigger time_logs_milestones_on_close after update on time_logs
    referencing new table as new_logs
    for each statement execute function record_milestones();

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
create or replace function schedule_goal_checks(p_group uuid, p_users uuid[], p_settle interval default interval '0')
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

create or replace function time_logs_replan_goal_checks() returns trigger
    language plpgsql
as $$
declare
    v_group uuid;
    v_users uuid[];
begin
    for v_group, v_users in
        select l.group_id, array_agg(distinct l.user_id)
          from new_logs l
         where l.group_id is not null and l.ended_at is not null
           and exists (select 1 from goal_checks c where c.group_id = l.group_id and c.user_id = l.user_id)
         group by l.group_id
    loop
        perform schedule_goal_checks(v_group, v_users);
    end loop;
    return null;
end;
$$;

drop trigger if exists time_logs_replan_goal_checks on time_logs;
create trigger time_logs_replan_goal_checks after insert on time_logs
    referencing new table as new_logs
    for each statement execute function time_logs_replan_goal_checks();

-- Writes the milestones of every goal check that is due and schedules each
-- member's next one; returns when the next check is due (null: none). Safe
-- on every instance at once: each due row is taken by one of them (skip
-- locked), the milestones are unique anyway.
create or replace function process_due_goal_checks()
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
