-- The timeline: sessions, their participants and a person's time logs, true
-- whatever clients do (DOMAIN.md "Time logs and a person's timeline").
--
-- Sessions drive their logs through triggers (the open segment of a running
-- session is a log without an end), so the application, the archival, the
-- runaway guard and an operator's psql all keep the same record; the
-- exclusion constraint time_logs_no_overlap (V1__schema.sql) keeps one place
-- at a time and nothing counted twice. The host's clock drives everyone in
-- the session; a participant running elsewhere is left out of a segment
-- instead of refusing the host. Fair play (DOMAIN.md "Fair play"): nothing
-- is logged before its person joined the group (nor, for a participant, the
-- session), and no segment is longer than timeline_settings.max_segment
-- however it closes. State changes made here, not by the application: logs
-- opened and closed by the session's transitions, a joiner's or leaver's
-- log, sessions paused at the runaway cap (by a pause or stop that came too
-- late, or by the guard's tick), with the host's session_autopaused notice;
-- participations ended and sessions stopped when a membership ends.

-- The longest a segment may run (LOCKIN_MAX_SEGMENT, written at each start).
create or replace function max_segment() returns interval
    language sql stable
as $$
    select max_segment from timeline_settings
$$;

-- A transition is dated by the device when its time is further than 60 s
-- from the server's now (transition_source: the logs it opens and closes
-- take it). A session of a group may be created only once the group has
-- started, and may not (re)start once the group is archived.
create or replace function sessions_before_write() returns trigger
    language plpgsql
as $$
declare
    v_status group_status;
    v_start_at timestamptz;
begin
    if tg_op = 'UPDATE' and new.transitioned_at is distinct from old.transitioned_at then
        new.transition_source := case when abs(extract(epoch from now() - new.transitioned_at)) > 60
                                      then 'device' else 'clock' end;
    end if;
    if new.group_id is null then
        return new;
    end if;
    if tg_op = 'INSERT' or (new.status = 'running' and old.status is distinct from 'running') then
        select status, start_at into v_status, v_start_at from groups where id = new.group_id for share;
        if v_status = 'archived' then
            raise exception 'The group is archived: no more focus sessions.' using errcode = 'LI409';
        elsif tg_op = 'INSERT' and v_start_at > now() then
            raise exception 'The group has not started yet: sessions begin at its start_at.' using errcode = 'LI409';
        end if;
    end if;
    return new;
end;
$$;

drop trigger if exists sessions_before_write on sessions;
create trigger sessions_before_write before insert or update on sessions
    for each row execute function sessions_before_write();

-- A log belongs to its participant's user and session, lies inside the
-- session's window and not in the future, and not before its person joined
-- the group (nor, for a participant, the session); only one open segment per
-- person (serialised per person by an advisory lock). The window rules answer
-- with the field they are about (LI422 with the column: the request's `at`
-- for a log a session's transition writes, else the log's own).
create or replace function time_logs_before_write() returns trigger
    language plpgsql
as $$
declare
    v_session sessions%rowtype;
    v_participant session_participants%rowtype;
    v_group_status group_status;
    v_member_since timestamptz;
    v_running uuid;
    v_start_field text := case when pg_trigger_depth() > 1 then 'at' else 'started_at' end;
begin
    select * into v_participant from session_participants where id = new.participant_id;
    if not found then
        raise exception 'participant % does not exist', new.participant_id using errcode = 'LI404';
    end if;
    select * into v_session from sessions where id = v_participant.session_id;
    new.user_id := coalesce(new.user_id, v_participant.user_id);
    new.group_id := v_session.group_id;

    if v_session.group_id is not null then
        -- for key share: waits for an archival of the group in progress
        select status into v_group_status from groups where id = v_session.group_id for key share;
        if v_group_status = 'archived' and not erasure_in_progress() then   -- an erasure re-keys the log
            raise exception 'The group is archived: its time can no longer change.' using errcode = 'LI409';
        end if;
    end if;
    if v_session.group_id is not null and (tg_op = 'INSERT' or new.started_at is distinct from old.started_at) then
        select created_at into v_member_since   -- when they joined (the API's joined_at)
          from group_members where group_id = v_session.group_id and user_id = new.user_id;
        if not found then
            raise exception 'Only the group''s members log time in its sessions.' using errcode = 'LI404';
        end if;
        if new.started_at < v_member_since then
            raise exception 'cannot be before you joined the group (%)',
                    to_char(v_member_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                using errcode = 'LI422', column = v_start_field;
        end if;
    end if;
    if v_participant.role = 'participant' and new.started_at < v_participant.joined_at
       and (tg_op = 'INSERT' or new.started_at is distinct from old.started_at) then
        raise exception 'cannot be before you joined the session (%)',
                to_char(v_participant.joined_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            using errcode = 'LI422', column = v_start_field;
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
        raise exception 'cannot be in the future' using errcode = 'LI422', column = 'ended_at';
    end if;
    if v_session.started_at is null then
        raise exception 'The session is %: it has no time to log yet.', v_session.status using errcode = 'LI409';
    end if;
    if new.started_at < v_session.started_at then
        raise exception 'cannot be before the session started (%)',
                to_char(v_session.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            using errcode = 'LI422', column = 'started_at';
    end if;
    if v_session.ended_at is not null and coalesce(new.ended_at, 'infinity') > v_session.ended_at then
        raise exception 'cannot be after the session ended (%)',
                to_char(v_session.ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            using errcode = 'LI422', column = 'ended_at';
    end if;
    return new;
end;
$$;

drop trigger if exists time_logs_before_write on time_logs;
create trigger time_logs_before_write before insert or update on time_logs
    for each row execute function time_logs_before_write();

-- written_xid of a changed log: the transaction that wrote it (delta sync).
create or replace function time_logs_stamp_write() returns trigger
    language plpgsql
as $$
begin
    new.written_xid := pg_current_xact_id();
    return new;
end;
$$;

drop trigger if exists time_logs_stamp_write on time_logs;
create trigger time_logs_stamp_write before update on time_logs
    for each row execute function time_logs_stamp_write();

-- A session's segments as logs: starting or resuming opens a log for the
-- host (its refusal is the host's: another session of theirs runs) and for
-- each participant still in the session unless their own timeline refuses
-- it; pausing, stopping or cancelling closes every open one at the
-- transition's time (dropping one that would end before it begins). A log
-- whose start or end the device dated is `device` (transition_source; a
-- participant who joined after the segment began starts at the server's time).
create or replace function sessions_segment_logs() returns trigger
    language plpgsql
as $$
declare
    v_closed_at timestamptz;
    v_participant session_participants%rowtype;
begin
    if tg_op = 'UPDATE' and old.status = 'running' then
        if new.status <> 'running' then
            v_closed_at := case when new.status in ('ended', 'cancelled') then new.ended_at else new.transitioned_at end;
            delete from time_logs l
             using session_participants p
             where p.session_id = new.id and l.participant_id = p.id
               and l.ended_at is null and l.started_at >= v_closed_at;
            update time_logs l
               set ended_at = v_closed_at,
                   source = case when new.transition_source = 'device' then 'device' else l.source end
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
        select p.id, p.user_id, greatest(new.segment_started_at, p.joined_at), null, new.transition_source
          from session_participants p
         where p.session_id = new.id and p.role = 'host';
        for v_participant in
            select * from session_participants p
             where p.session_id = new.id and p.role <> 'host' and p.left_at is null
             order by p.joined_at, p.id
        loop
            begin
                insert into time_logs (participant_id, user_id, started_at, ended_at, source)
                values (v_participant.id, v_participant.user_id,
                        greatest(new.segment_started_at, v_participant.joined_at), null,
                        case when v_participant.joined_at > new.segment_started_at then 'clock'
                             else new.transition_source end);
            exception
                when sqlstate 'LI409' or sqlstate 'LI404' or sqlstate 'LI422' or exclusion_violation or unique_violation then
                    null;   -- running elsewhere, their time already holds this moment, or no longer
                            -- (or not yet then) a member: not in this segment
            end;
        end loop;
    end if;
    return null;
end;
$$;

drop trigger if exists sessions_segment_logs on sessions;
create trigger sessions_segment_logs after insert or update of status, segment_started_at on sessions
    for each row execute function sessions_segment_logs();

-- Joining (a new participant, or one who left coming back): not while
-- another session of theirs runs, and not a session that is over.
create or replace function session_participants_before_join() returns trigger
    language plpgsql
as $$
declare
    v_status session_status;
    v_running uuid;
begin
    if new.role = 'host' or tg_op = 'UPDATE' and not (old.left_at is not null and new.left_at is null) then
        return new;   -- the host's own rules are the session's (start, resume)
    end if;
    select status into v_status from sessions where id = new.session_id;
    if v_status in ('ended', 'cancelled') then
        raise exception 'The session is %: it can no longer be joined.', v_status using errcode = 'LI409';
    end if;
    select p.session_id into v_running
      from time_logs l join session_participants p on p.id = l.participant_id
     where l.user_id = new.user_id and l.ended_at is null and p.session_id <> new.session_id;
    if found then
        raise exception 'Another session of yours is running: pause or stop it first.'
            using errcode = 'LI409', detail = json_build_object('running_session_id', v_running)::text;
    end if;
    return new;
end;
$$;

drop trigger if exists session_participants_before_join on session_participants;
create trigger session_participants_before_join before insert or update of left_at on session_participants
    for each row execute function session_participants_before_join();

-- Someone who joins a running session is in its segment from then on (a
-- return too); someone who leaves has their open log closed at left_at, or
-- at the runaway cap when the segment has run that long (the session pauses
-- there); a log that would end before it begins is dropped.
create or replace function session_participants_segment_log() returns trigger
    language plpgsql
as $$
declare
    v_closed_at timestamptz;
begin
    if new.left_at is not null then
        if tg_op = 'UPDATE' and old.left_at is null then
            select least(new.left_at, s.segment_started_at + max_segment()) into v_closed_at
              from sessions s where s.id = new.session_id and s.status = 'running';
            v_closed_at := coalesce(v_closed_at, new.left_at);
            delete from time_logs l
             where l.participant_id = new.id and l.ended_at is null and l.started_at >= v_closed_at;
            update time_logs l
               set ended_at = v_closed_at
             where l.participant_id = new.id and l.ended_at is null;
        end if;
        return null;
    end if;
    if tg_op = 'UPDATE' and old.left_at is null then
        return null;
    end if;
    insert into time_logs (participant_id, user_id, started_at, ended_at, source)
    select new.id, new.user_id, greatest(s.segment_started_at, new.joined_at), null, 'clock'
      from sessions s
     where s.id = new.session_id and s.status = 'running';
    return null;
end;
$$;

drop trigger if exists session_participants_segment_log on session_participants;
create trigger session_participants_segment_log after insert or update of left_at on session_participants
    for each row execute function session_participants_segment_log();

-- Ends the given sessions now, whoever asks (archival, a membership's end):
-- running and paused ones end (a running segment's logs close at now, or
-- first at the runaway cap when the segment reached it: sessions_runaway_cap
-- pauses it there, so it then ends paused), scheduled ones are cancelled.
create or replace function end_sessions(p_session_ids uuid[])
    returns void
    language sql
as $$
    update sessions
       set status = 'paused', transitioned_at = now(), segment_started_at = null
     where id = any (p_session_ids) and status = 'running' and segment_started_at + max_segment() <= now();
    update sessions
       set status = case when status = 'scheduled' then 'cancelled' else 'ended' end::session_status,
           ended_at = now(),
           transitioned_at = now(),
           segment_started_at = null
     where id = any (p_session_ids) and status in ('scheduled', 'running', 'paused');
$$;

-- Access follows membership: when someone's membership of a group ends
-- (removed, or leaving), so does their part in the group's sessions, at that
-- moment: they leave the sessions they take part in (their open segment
-- closes now) and the ones they host stop (a scheduled one is cancelled).
create or replace function group_members_end_participation() returns trigger
    language plpgsql
as $$
begin
    update session_participants p
       set left_at = now()
      from sessions s
     where s.id = p.session_id and s.group_id = old.group_id and p.user_id = old.user_id
       and p.role <> 'host' and p.left_at is null and s.status in ('scheduled', 'running', 'paused');
    perform end_sessions(array(select id from sessions
                                where group_id = old.group_id and creator_id = old.user_id
                                  and status in ('scheduled', 'running', 'paused')));
    return null;
end;
$$;

drop trigger if exists group_members_end_participation on group_members;
create trigger group_members_end_participation after delete on group_members
    for each row execute function group_members_end_participation();

-- ---------------------------------------------------------------------------
-- The runaway cap
-- ---------------------------------------------------------------------------

-- No segment runs longer than max_segment(), however it closes: a pause or
-- stop (or any update) that would close a longer one closes it at segment
-- start + the maximum instead, the session is paused there, and the host is
-- told (session_autopaused). The guard's tick (pause_runaway_sessions) is
-- only how it happens without anyone's request.
create or replace function sessions_runaway_cap() returns trigger
    language plpgsql
as $$
declare
    v_max interval;
    v_closed_at timestamptz;
begin
    if old.status <> 'running' or new.status = 'running' then
        return new;
    end if;
    v_max := max_segment();
    v_closed_at := case when new.status in ('ended', 'cancelled') then new.ended_at else new.transitioned_at end;
    if v_closed_at < old.segment_started_at + v_max then
        return new;
    end if;
    new.status := 'paused';
    new.transitioned_at := old.segment_started_at + v_max;
    new.transition_source := 'clock';   -- the cap is the server's, whoever came late
    new.segment_started_at := null;
    new.ended_at := null;
    insert into notifications (recipient_id, kind, title, body, group_id)
    values (new.creator_id, 'session_autopaused', 'Your focus session was paused',
            'It had been running for ' || v_max || ' without a break, so LockIN paused it at '
                || to_char(new.transitioned_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC. '
                || 'Resume it if you are still focusing.',
            new.group_id);
    return new;
end;
$$;

drop trigger if exists sessions_runaway_cap on sessions;
create trigger sessions_runaway_cap before update of status on sessions
    for each row execute function sessions_runaway_cap();

-- The guard's tick: pauses every session whose segment has reached the cap
-- (sessions_runaway_cap closes it at exactly segment start + the maximum and
-- tells the host). Returns how many it paused. Safe to run anywhere at any
-- time: a session its host pauses meanwhile is skipped.
drop function if exists pause_runaway_sessions(interval);
create or replace function pause_runaway_sessions()
    returns integer
    language plpgsql
as $$
declare
    v_paused integer;
begin
    update sessions s
       set status = 'paused',
           transitioned_at = now(),
           segment_started_at = null
     where s.status = 'running' and s.segment_started_at + max_segment() <= now();
    get diagnostics v_paused = row_count;
    return v_paused;
end;
$$;
