-- ---------------------------------------------------------------------------
-- A person's timeline that stays true whatever clients do (DOMAIN.md "Time
-- logs and a person's timeline", "Archival")
-- ---------------------------------------------------------------------------
--
-- The open segment of a running session is a time log too: one row per
-- participant without an end (tstzrange(started_at, null) reaches to
-- infinity), written when the segment opens and closed when it does. The
-- exclusion constraint time_logs_no_overlap then keeps, for every writer:
--   * one place at a time: a second open segment of the same person always
--     overlaps the first;
--   * nothing counted twice: a manual log over a running segment overlaps it;
--   * never stuck: closing an open log only shrinks its range, so pause and
--     stop can never collide with anything written meanwhile.
-- Sessions drive their logs through triggers (sessions_segment_logs,
-- session_participants_segment_log), so the application, the archival, the
-- runaway guard and an operator's psql all keep the same record.

-- When the session last changed state (created, started, paused, resumed,
-- stopped): a device time for the next change may not be earlier.
alter table sessions add column transitioned_at timestamptz;

update sessions s
   set transitioned_at = coalesce(
           s.ended_at,
           s.segment_started_at,
           (select max(l.ended_at) from time_logs l join session_participants p on p.id = l.participant_id
             where p.session_id = s.id and l.source = 'clock'),
           s.started_at,
           s.created_at);

alter table sessions
    alter column transitioned_at set default now(),
    alter column transitioned_at set not null,
    add constraint sessions_transition_after_start check (transitioned_at >= started_at);

-- Open segments: a clock log without an end.
alter table time_logs
    alter column ended_at drop not null,
    add constraint time_logs_open_only_by_clock check (ended_at is not null or source = 'clock');

-- At most one open segment per person (the exclusion constraint implies it;
-- this index also finds a person's running session at once).
create unique index time_logs_one_open_segment on time_logs (user_id) include (participant_id) where ended_at is null;

-- Opens a segment's logs when a session runs, closes them when it stops
-- running, at the change's time: ended_at for a stop, transitioned_at for a
-- pause (the device's time of the action, the archival's now, the runaway
-- guard's segment start + maximum). Whoever changes a session's status sets
-- it: a pause that leaves transitioned_at as it was closes the segment
-- where it began. A participant's part begins at the later of the segment
-- start and their joined_at; a part that would end before it begins is
-- dropped.
create function sessions_segment_logs() returns trigger
    language plpgsql
as $$
declare
    v_closed_at timestamptz;
begin
    if tg_op = 'UPDATE' and old.status = 'running' then
        if new.status <> 'running' then
            v_closed_at := case when new.status in ('ended', 'cancelled') then new.ended_at else new.transitioned_at end;
            delete from time_logs l
             using session_participants p
             where p.session_id = new.id and l.participant_id = p.id
               and l.ended_at is null and l.started_at >= v_closed_at;
            update time_logs l
               set ended_at = v_closed_at
              from session_participants p
             where p.session_id = new.id and l.participant_id = p.id and l.ended_at is null;
            return null;
        elsif new.segment_started_at is distinct from old.segment_started_at then
            -- the segment was moved while running (an operator's correction)
            update time_logs l
               set started_at = greatest(new.segment_started_at, p.joined_at)
              from session_participants p
             where p.session_id = new.id and l.participant_id = p.id and l.ended_at is null;
            return null;
        end if;
    end if;
    if new.status = 'running' and (tg_op = 'INSERT' or old.status <> 'running') then
        if tg_op = 'UPDATE' and old.status = 'scheduled' then
            -- the host is there from the start, even a start the device dates
            -- before the session was created on the server
            update session_participants
               set joined_at = new.started_at
             where session_id = new.id and role = 'host' and joined_at > new.started_at;
        end if;
        insert into time_logs (participant_id, user_id, started_at, ended_at, source)
        select p.id, p.user_id, greatest(new.segment_started_at, p.joined_at), null, 'clock'
          from session_participants p
         where p.session_id = new.id;
    end if;
    return null;
end;
$$;

create trigger sessions_segment_logs after insert or update of status, segment_started_at on sessions
    for each row execute function sessions_segment_logs();

-- Someone who joins a running session is in its segment from then on.
create function session_participants_segment_log() returns trigger
    language plpgsql
as $$
begin
    insert into time_logs (participant_id, user_id, started_at, ended_at, source)
    select new.id, new.user_id, greatest(s.segment_started_at, new.joined_at), null, 'clock'
      from sessions s
     where s.id = new.session_id and s.status = 'running';
    return null;
end;
$$;

create trigger session_participants_segment_log after insert on session_participants
    for each row execute function session_participants_segment_log();

-- A log belongs to its participant's user and session; it lies inside the
-- session's window and not in the future; nothing lands in an archived
-- group (the archival closes running segments before it archives). An open
-- segment is refused while another of the same person runs, naming it
-- (the problem's running_session_id), one person at a time: concurrent
-- starts of two devices queue on a per-person lock, so the second sees the
-- first and gets the same clear answer instead of a constraint violation.
create or replace function time_logs_before_write() returns trigger
    language plpgsql
as $$
declare
    v_session sessions%rowtype;
    v_group_status group_status;
    v_running uuid;
begin
    select s.* into v_session
      from session_participants p join sessions s on s.id = p.session_id
     where p.id = new.participant_id;
    if not found then
        raise exception 'participant % does not exist', new.participant_id using errcode = 'LI404';
    end if;
    if new.user_id is null then
        select user_id into new.user_id from session_participants where id = new.participant_id;
    end if;
    new.group_id := v_session.group_id;

    if v_session.group_id is not null then
        -- for key share: waits for an archival of the group in progress
        select status into v_group_status from groups where id = v_session.group_id for key share;
        if v_group_status = 'archived' then
            raise exception 'The group is archived: its time can no longer change.' using errcode = 'LI409';
        end if;
    end if;

    if new.ended_at is null and tg_op = 'INSERT' then
        perform pg_advisory_xact_lock(hashtextextended('lockin.timeline:' || new.user_id::text, 0));
        select p.session_id into v_running
          from time_logs l join session_participants p on p.id = l.participant_id
         where l.user_id = new.user_id and l.ended_at is null;
        if found then
            raise exception 'Another session of yours is running: pause or stop it first.'
                using errcode = 'LI409', detail = json_build_object('running_session_id', v_running)::text;
        end if;
    end if;

    if new.ended_at > now() then
        raise exception 'a time log cannot end in the future' using errcode = 'LI422';
    end if;
    if v_session.started_at is null or new.started_at < v_session.started_at then
        raise exception 'a time log cannot start before its session started' using errcode = 'LI422';
    end if;
    if v_session.ended_at is not null and coalesce(new.ended_at, 'infinity') > v_session.ended_at then
        raise exception 'a time log cannot end after its session ended' using errcode = 'LI422';
    end if;
    return new;
end;
$$;

-- ---------------------------------------------------------------------------
-- Progress: open segments are logs without an end, counted up to p_at
-- ---------------------------------------------------------------------------

create or replace function group_member_period_progress_at(p_at timestamptz)
    returns table (
        group_id       uuid,
        user_id        uuid,
        display_name   text,
        avatar_url     text,
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        seconds_done   bigint,
        goal_met       boolean,
        is_focusing    boolean,
        rank           bigint)
    language sql stable
as $$
    select t.group_id, t.user_id, t.display_name, t.avatar_url, t.period_start, t.period_end,
           t.target_minutes, t.seconds_done, t.seconds_done >= t.target_minutes * 60 as goal_met,
           t.is_focusing,
           rank() over (partition by t.group_id order by t.seconds_done desc) as rank
      from (
        select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
               coalesce(m.override_period_target_minutes, g.period_target_minutes) as target_minutes,
               floor(coalesce(logged.seconds, 0) + coalesce(open_segment.seconds, 0))::bigint as seconds_done,
               open_segment.seconds is not null as is_focusing
          from groups g
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
          join group_members m on m.group_id = g.id
          join profiles p on p.id = m.user_id
          left join lateral (
                select sum(extract(epoch from least(l.ended_at, b.period_end) - greatest(l.started_at, b.period_start))) as seconds
                  from time_logs l
                 where l.group_id = g.id and l.user_id = m.user_id
                   and l.ended_at > b.period_start and l.started_at < b.period_end
               ) logged on true
          left join lateral (
                select sum(greatest(0, extract(epoch from
                           least(p_at, b.period_end) - greatest(l.started_at, b.period_start)))) as seconds
                  from time_logs l
                 where l.group_id = g.id and l.user_id = m.user_id and l.ended_at is null
               ) open_segment on true
      ) t
$$;

-- ---------------------------------------------------------------------------
-- Milestones follow the log: every period a written or closed log touches
-- ---------------------------------------------------------------------------
--
-- A log lasts at most 24 hours and a period at least 23 (a daily period on
-- a DST day), so its start, middle and last instant meet every period it
-- touches. A past period's progress is read at its last instant; the
-- current one's at now.
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
        with progress as (
                 select p.* from group_member_period_progress_at(v_at) p where p.group_id = v_group),
             member_milestones as (
                 insert into notifications (recipient_id, kind, title, body, group_id, subject_id, period_start)
                 select m.user_id, 'milestone_member',
                        left(p.display_name || ' reached the goal', 200),
                        p.display_name || ' focused ' || p.target_minutes || ' minutes in ' || g.name || ' this period.',
                        v_group, p.user_id, p.period_start
                   from progress p
                   join groups g on g.id = p.group_id
                   join group_members m on m.group_id = p.group_id
                  where p.goal_met
                    and p.user_id in (select user_id from new_logs where group_id = v_group)
                 on conflict do nothing)
        insert into notifications (recipient_id, kind, title, body, group_id, period_start)
        select m.user_id, 'milestone_group', 'Everyone reached the goal',
               'Every member of ' || g.name || ' met this period''s goal.', v_group, x.period_start
          from (select min(period_start) as period_start from progress having bool_and(goal_met)) x
          join groups g on g.id = v_group
          join group_members m on m.group_id = v_group
        on conflict do nothing;
    end loop;
    return null;
end;
$$;

drop trigger time_logs_milestones on time_logs;

-- one trigger per event: PostgreSQL allows a transition table only on single-event triggers
create trigger time_logs_milestones after insert on time_logs
    referencing new table as new_logs
    for each statement execute function record_milestones();

create trigger time_logs_milestones_on_close after update on time_logs
    referencing new table as new_logs
    for each statement execute function record_milestones();

-- ---------------------------------------------------------------------------
-- Archival, one group at a time
-- ---------------------------------------------------------------------------

-- Ends what is still going on in the given groups before they are archived:
-- running and paused sessions end (the running segments' logs close at now,
-- by sessions_segment_logs), scheduled ones are cancelled.
create or replace function stop_sessions_of_groups(p_group_ids uuid[])
    returns void
    language sql
as $$
    update sessions
       set status = case when status = 'scheduled' then 'cancelled' else 'ended' end::session_status,
           ended_at = now(),
           transitioned_at = now(),
           segment_started_at = null
     where group_id = any (p_group_ids)
       and status in ('scheduled', 'running', 'paused');
$$;

-- Archives every group whose end has passed, each on its own (a savepoint
-- per group): one group that cannot be archived is reported in `failed`,
-- with a warning naming it, and never stops the others. Promotes pending
-- groups whose start has come. Idempotent; with several instances, one run
-- at a time does the work and the others return (0, {}) at once.
drop function archive_expired_groups();

create function archive_expired_groups(out archived integer, out failed uuid[])
    language plpgsql
as $$
declare
    v_group uuid;
begin
    archived := 0;
    failed := '{}';
    if not pg_try_advisory_xact_lock(hashtext('lockin.archive_expired_groups')) then
        return;
    end if;

    update groups set status = 'active'
     where status = 'pending' and start_at <= now() and end_at > now();

    for v_group in
        select id from groups where status <> 'archived' and end_at <= now() order by end_at
           for update skip locked
    loop
        begin
            perform stop_sessions_of_groups(array[v_group]);
            update groups set status = 'archived' where id = v_group;
            archived := archived + 1;
        exception when others then
            raise warning 'group % could not be archived: % (SQLSTATE %)', v_group, sqlerrm, sqlstate;
            failed := failed || v_group;
        end;
    end loop;
end;
$$;

-- ---------------------------------------------------------------------------
-- Runaway guard
-- ---------------------------------------------------------------------------

-- Pauses every session whose segment has been open longer than p_max, at
-- exactly segment start + p_max (its logs close there), and tells the host
-- (a session_autopaused notification). Returns how many it paused. Safe to
-- run anywhere at any time: a session its host pauses meanwhile is skipped.
create function pause_runaway_sessions(p_max interval)
    returns integer
    language plpgsql
as $$
declare
    v_paused integer;
begin
    with paused as (
        update sessions s
           set status = 'paused',
               transitioned_at = s.segment_started_at + p_max,
               segment_started_at = null
         where s.status = 'running' and s.segment_started_at + p_max <= now()
        returning s.id, s.creator_id, s.group_id, s.transitioned_at
    ), notified as (
        insert into notifications (recipient_id, kind, title, body, group_id)
        select creator_id, 'session_autopaused', 'Your focus session was paused',
               'It had been running for ' || p_max || ' without a break, so LockIN paused it at '
                   || to_char(transitioned_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC. '
                   || 'Resume it if you are still focusing.',
               group_id
          from paused
        returning 1
    )
    select count(*) into v_paused from paused;
    return v_paused;
end;
$$;
