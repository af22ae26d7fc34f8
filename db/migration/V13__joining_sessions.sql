-- ---------------------------------------------------------------------------
-- Focusing together: joining and leaving a session of one's group
-- ---------------------------------------------------------------------------
--
-- A participant is in a session from joined_at until left_at (null: still
-- in it). The host's clock drives everyone in it: a segment opens a log for
-- each of them (from the later of the segment's start and their joined_at)
-- and closes every open one. Leaving closes only the leaver's open log, at
-- left_at; joining again opens one at once when the session runs.
--
-- One place at a time, for every participant: joining while another session
-- of theirs runs is refused, naming it (as starting or resuming is). When
-- the host starts or resumes, a participant who is running another session
-- meanwhile (or whose time already holds the segment's start) is left out of
-- that segment: the host's clock is never refused because of a participant.

alter table session_participants add column left_at timestamptz;

comment on column session_participants.left_at is
    'When the participant left the session (null: in it); a new joined_at when they join again.';

-- Joining (a new participant, or one who left coming back): not while
-- another session of theirs runs, and not a session that is over.
create function session_participants_before_join() returns trigger
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

create trigger session_participants_before_join before insert or update of left_at on session_participants
    for each row execute function session_participants_before_join();

-- Someone who joins a running session is in its segment from then on (V4's
-- trigger, for a return too); someone who leaves has their open log closed
-- at left_at (dropped when it would end before it begins).
create or replace function session_participants_segment_log() returns trigger
    language plpgsql
as $$
begin
    if new.left_at is not null then
        if tg_op = 'UPDATE' and old.left_at is null then
            delete from time_logs l
             where l.participant_id = new.id and l.ended_at is null and l.started_at >= new.left_at;
            update time_logs l
               set ended_at = new.left_at
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

drop trigger session_participants_segment_log on session_participants;
create trigger session_participants_segment_log after insert or update of left_at on session_participants
    for each row execute function session_participants_segment_log();

-- V4's segment trigger, with participants: the host's log as before (its
-- refusal is the host's: another session of theirs runs); each participant
-- still in the session gets theirs unless their own timeline refuses it.
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
         where p.session_id = new.id and p.role = 'host';
        for v_participant in
            select * from session_participants p
             where p.session_id = new.id and p.role <> 'host' and p.left_at is null
             order by p.joined_at, p.id
        loop
            begin
                insert into time_logs (participant_id, user_id, started_at, ended_at, source)
                values (v_participant.id, v_participant.user_id,
                        greatest(new.segment_started_at, v_participant.joined_at), null, 'clock');
            exception
                when sqlstate 'LI409' or exclusion_violation or unique_violation then
                    null;   -- running elsewhere, or their time already holds this moment: not in this segment
            end;
        end loop;
    end if;
    return null;
end;
$$;
