-- ---------------------------------------------------------------------------
-- Leaderboard privacy: a member may hide their identity on the board
-- ---------------------------------------------------------------------------
--
-- Others then see their entries (boards, history) without user id, name or
-- avatar, and not their presence; their time still counts for the group's
-- goal and ranking. They themselves, the owner and admins see them as usual.
-- The application masks the boards it answers (it knows who asks); here:
-- the flag, who is focusing (focus_in_groups_of) and the presence messages
-- (marked "hidden", so each instance tells only those who may know).

alter table group_members add column hidden_from_leaderboard boolean not null default false;

comment on column group_members.hidden_from_leaderboard is
    'The member hides their identity on the group''s leaderboard from other plain members (set by themself).';

-- " hidden" when the member hides from the leaderboard (a presence message's last word), else ''.
create function hidden_flag(p_group uuid, p_user uuid) returns text
    language sql stable
as $$
    select case when coalesce((select m.hidden_from_leaderboard from group_members m
                                where m.group_id = p_group and m.user_id = p_user), false)
                then ' hidden' else '' end
$$;

create or replace function focus_in_groups_of(p_user uuid)
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
               -- someone hiding from the leaderboard: seen by themself, the owner and admins only
               and (not m.hidden_from_leaderboard or m.user_id = p_user or mine.role in ('owner', 'admin'))
           ) f on true
     where mine.user_id = p_user
       and group_status_now(g.status, g.start_at) = 'active'
     order by g.name, g.id, f.since, f.user_id
$$;

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

-- V9's milestones, and "<name> reached the goal" of someone who hides from
-- the leaderboard told only to themself, the owner and admins.
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
                and (not subject.hidden_from_leaderboard or m.user_id = p.user_id or m.role in ('owner', 'admin'))
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
