-- Live updates: the database tells every application instance what changed.
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
--   presence <group> <user> <session> <1|0>[ hidden]   someone started (1) or stopped (0) focusing;
--                                              hidden: not every member sees them (members_shown says who does)
--   notification <recipient> <id> <kind> <group|->   a new notification in someone's inbox
--   goal <epoch milliseconds>                   a goal check is due then (goal_checks)
--   erased <profile>                            a person was erased (erase_person, R__17_erasure.sql):
--                                              instances forget the profile id cached for their identities
create or replace function notify_live(p_message text) returns void
    language sql
as $$
    select pg_notify('lockin_live', p_message);
$$;

comment on function notify_live(text) is
    'Sends one message on the channel lockin_live (delivered to every listening instance at commit).';

create or replace function time_logs_notify_live() returns trigger
    language plpgsql
as $$
declare
    v_session uuid;
    v_hidden text;
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
        v_hidden := hidden_flag(new.group_id, new.user_id);
        perform notify_live('presence ' || new.group_id || ' ' || new.user_id || ' ' || v_session || ' 1' || v_hidden);
        perform schedule_goal_checks(new.group_id, array[new.user_id],
                                     case when new.started_at < now() - interval '5 seconds'
                                          then interval '3 seconds' else interval '0' end);
    elsif tg_op <> 'INSERT' and old.ended_at is null and old.group_id is not null
          and (tg_op = 'DELETE' or new.ended_at is not null) then
        select session_id into v_session from session_participants where id = old.participant_id;
        v_hidden := hidden_flag(old.group_id, old.user_id);
        perform notify_live('presence ' || old.group_id || ' ' || old.user_id || ' ' || v_session || ' 0' || v_hidden);
        delete from goal_checks where group_id = old.group_id and user_id = old.user_id;
    end if;
    return null;
end;
$$;

drop trigger if exists time_logs_notify_live on time_logs;
create trigger time_logs_notify_live after insert or update or delete on time_logs
    for each row execute function time_logs_notify_live();

-- Members joining, leaving or changing their target.
create or replace function group_members_notify_live() returns trigger
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

drop trigger if exists group_members_notify_live on group_members;
create trigger group_members_notify_live after insert or update or delete on group_members
    for each row execute function group_members_notify_live();

-- A group archived, or its target, period, zone, window or declared-time rule changed.
create or replace function groups_notify_live() returns trigger
    language plpgsql
as $$
begin
    if new.status = 'archived' and old.status <> 'archived' then
        perform notify_live('board ' || new.id);
        perform notify_live('archived ' || new.id);
        delete from goal_checks where group_id = new.id;
    elsif (new.period_target_minutes, new.period, new.timezone, new.start_at, new.end_at, new.declared_time)
          is distinct from (old.period_target_minutes, old.period, old.timezone, old.start_at, old.end_at, old.declared_time) then
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

drop trigger if exists groups_notify_live on groups;
create trigger groups_notify_live after update on groups
    for each row execute function groups_notify_live();

-- A new name or picture shows on every board the person is on.
create or replace function profiles_notify_live() returns trigger
    language plpgsql
as $$
begin
    perform notify_live('board ' || m.group_id) from group_members m where m.user_id = new.id;
    return null;
end;
$$;

drop trigger if exists profiles_notify_live on profiles;
create trigger profiles_notify_live after update of display_name, avatar_url on profiles
    for each row
    when ((new.display_name, new.avatar_url) is distinct from (old.display_name, old.avatar_url))
    execute function profiles_notify_live();

-- A new notification in someone's inbox.
create or replace function notifications_notify_live() returns trigger
    language plpgsql
as $$
begin
    perform notify_live('notification ' || new.recipient_id || ' ' || new.id || ' ' || new.kind || ' '
                        || coalesce(new.group_id::text, '-'));
    return null;
end;
$$;

drop trigger if exists notifications_notify_live on notifications;
create trigger notifications_notify_live after insert on notifications
    for each row execute function notifications_notify_live();
