-- Moderation: the owner and admins of a group void a member's log in one of
-- the group's sessions, or restore it (DOMAIN.md "Fair play").
--
-- A voided log stays in its person's record (their logs, exports, stats) and
-- counts nowhere in the group: the totals drop it (R__07_totals.sql), so
-- boards, history, goals and streaks follow; milestones already told stay
-- told. Only while the periods it falls in are not final: a final period
-- never changes. Nobody deletes another person's log. State changes made
-- here: the log's voided_at/voided_by/void_reason, the person's log_voided
-- notification.

-- Voids log p_log of session p_session (p_reason: why, 1 to 200 characters)
-- or, with p_reason null, restores it, by p_actor (whose right to it the
-- application checked: the group's owner or an admin). p_grace: the offline
-- grace after which a period is final. LI404 for a log not of that session
-- or of a session without group; LI409 for a log still open, one already in
-- the state asked for, or one whose first period is final.
create or replace function void_time_log(p_session uuid, p_log uuid, p_actor uuid, p_reason text, p_grace interval)
    returns setof time_logs
    language plpgsql
as $$
declare
    v_log time_logs%rowtype;
    v_group groups%rowtype;
    v_first_period_end timestamptz;
begin
    select l.* into v_log
      from time_logs l join session_participants p on p.id = l.participant_id
     where l.id = p_log and p.session_id = p_session and l.group_id is not null
       for update of l;
    if not found then
        raise exception 'time log not found' using errcode = 'LI404';
    end if;
    if v_log.ended_at is null then
        raise exception 'The log is still running: it can be voided once its segment closes.' using errcode = 'LI409';
    end if;
    if (p_reason is null) = (v_log.voided_at is null) then
        raise exception 'The log is % already.', case when p_reason is null then 'counted' else 'voided' end
            using errcode = 'LI409';
    end if;
    select * into v_group from groups where id = v_log.group_id;
    v_first_period_end := (group_period_bounds(v_group.period, v_group.timezone, v_group.start_at, v_group.end_at,
                                               v_log.started_at)).period_end;
    if now() >= v_first_period_end + p_grace then
        raise exception 'The log''s period is final: it can no longer change.' using errcode = 'LI409';
    end if;

    update time_logs
       set voided_at = case when p_reason is null then null else now() end,
           voided_by = case when p_reason is null then null else p_actor end,
           void_reason = p_reason
     where id = p_log
    returning * into v_log;
    if p_reason is not null then
        insert into notifications (recipient_id, actor_id, kind, title, body, group_id)
        values (v_log.user_id, p_actor, 'log_voided', 'A log of yours no longer counts in ' || v_group.name,
                'Your focus from ' || to_char(v_log.started_at at time zone v_group.timezone, 'YYYY-MM-DD HH24:MI')
                    || ' to ' || to_char(v_log.ended_at at time zone v_group.timezone, 'HH24:MI')
                    || ' (' || v_group.timezone || ') was voided: ' || p_reason,
                v_group.id);
    end if;
    return next v_log;
end;
$$;
