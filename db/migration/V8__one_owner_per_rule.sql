-- One owner per rule: rules the application used to check again in Java
-- now live only here, and time is decided by one clock, the database's.

-- A group without a start starts now (by this clock, not an application
-- server's); its status follows from the start as before.
create or replace function groups_before_write() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        new.start_at := coalesce(new.start_at, now());
        new.status := case when new.start_at > now() then 'pending' else 'active' end::group_status;
        return new;
    end if;
    if old.status = 'archived' then
        raise exception 'This group is archived and can no longer change.' using errcode = 'LI409';
    end if;
    new.updated_at := now();
    return new;
end;
$$;

-- A group's status now: a pending group whose start has come is active even
-- before the archival job promotes its row. Every status shown or filtered
-- on goes through here.
create function group_status_now(p_status group_status, p_start_at timestamptz) returns text
    language sql stable
as $$
    select case when p_status = 'pending' and p_start_at <= now() then 'active' else p_status::text end
$$;

-- Members of an archived group are frozen; a member's own target fits the
-- group's period as the group's target does.
create or replace function group_members_before_write() returns trigger
    language plpgsql
as $$
declare
    v_group_id uuid;
    v_status group_status;
    v_period group_period;
    v_longest integer;
begin
    if tg_op = 'DELETE' then
        v_group_id := old.group_id;
    else
        v_group_id := new.group_id;
    end if;
    -- for share: waits for a concurrent archival, so nobody slips into an archived group
    select status, period into v_status, v_period from groups where id = v_group_id for share;
    if v_status = 'archived' then
        raise exception 'This group is archived: its members can no longer change.' using errcode = 'LI409';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    v_longest := case v_period when 'daily' then 1440 else 10080 end;
    if new.override_period_target_minutes > v_longest then
        raise exception 'must be between 1 and % for a % group', v_longest, v_period
            using errcode = 'LI422', column = 'override_period_target_minutes';
    end if;
    return new;
end;
$$;

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

-- A session of a group may be created only once the group has started, and
-- may not (re)start once the group is archived.
create or replace function sessions_before_write() returns trigger
    language plpgsql
as $$
declare
    v_status group_status;
    v_start_at timestamptz;
begin
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

-- A time log's window rules answer with the field they are about (the
-- application no longer checks them first).
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
