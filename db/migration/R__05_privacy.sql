-- Privacy: who may see a member of a group, the one rule every read applies.
--
-- A member may hide from the leaderboard (group_members.hidden_from_leaderboard).
-- Whether a viewer sees who a member is, their time, focus state and streak
-- is decided by member_shown alone: boards (board_seen_by) and history
-- (the application leaves out the entries it is told are not shown), the
-- member list's streaks, presence and focus lists, group session lists and
-- participant lists (user_shown), milestones. Hidden is hidden everywhere:
-- to those who do not see them, such members are absent, not masked. Their
-- time still counts toward the group's goal.

-- Whether p_viewer sees p_member (two memberships of one group): always
-- themself; a member who hides from the leaderboard only by themself, the
-- owner and the admins. An inlined SQL function: a query that joins the two
-- memberships and filters on it reaches the indexes (a member's flag first).
create or replace function member_shown(p_member group_members, p_viewer group_members) returns boolean
    language sql immutable
as $$
    select not p_member.hidden_from_leaderboard
        or p_member.user_id = p_viewer.user_id
        or p_viewer.role in ('owner', 'admin')
$$;

-- Whether p_viewer (a member) sees a former member of the group on a past
-- board (former_members, R__08_boards.sql): member_shown's rule for a
-- membership that ended (p_hidden: its hidden_from_leaderboard then). A
-- former member is never the viewer: a current member is on boards as one.
create or replace function former_member_shown(p_hidden boolean, p_viewer group_members) returns boolean
    language sql immutable
as $$
    select not p_hidden or p_viewer.role in ('owner', 'admin')
$$;

-- " hidden" when some member of the group does not see p_user (a presence
-- message's last word: instances then ask who does, see member_shown), else ''.
create or replace function hidden_flag(p_group uuid, p_user uuid) returns text
    language sql stable
as $$
    select case when exists (select 1
                               from group_members m
                               join group_members v on v.group_id = m.group_id
                              where m.group_id = p_group and m.user_id = p_user and not member_shown(m, v))
                then ' hidden' else '' end
$$;

-- The members of p_group who see p_user (presence of a member some others do not see).
create or replace function members_shown(p_group uuid, p_user uuid) returns setof uuid
    language sql stable
as $$
    select v.user_id
      from group_members m
      join group_members v on v.group_id = m.group_id
     where m.group_id = p_group and m.user_id = p_user and member_shown(m, v)
$$;

-- Whether p_viewer sees p_user's part in group p_group (a session they host
-- or take part in): member_shown of their two memberships. Without a group
-- (a session of one's own) and for someone who is no longer a member (their
-- past time is the group's history) there is nothing to hide; a viewer who
-- is no longer a member sees only those who do not hide.
create or replace function user_shown(p_group uuid, p_user uuid, p_viewer uuid) returns boolean
    language sql stable
as $$
    select p_group is null
        or p_user = p_viewer
        or coalesce((select coalesce(member_shown(m, v), false)
                       from group_members m
                       left join group_members v on v.group_id = m.group_id and v.user_id = p_viewer
                      where m.group_id = p_group and m.user_id = p_user), true)
$$;
