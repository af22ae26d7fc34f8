-- Privacy: who may see a member's identity, time and focus state.
--
-- A member may hide from the leaderboard (group_members.hidden_from_leaderboard):
-- others then see their entries (boards, history) without user id, name or
-- avatar, and not their presence; their time still counts for the group's
-- goal and ranking. They themselves, the owner and admins see them as usual.

-- " hidden" when the member hides from the leaderboard (a presence message's last word), else ''.
create or replace function hidden_flag(p_group uuid, p_user uuid) returns text
    language sql stable
as $$
    select case when coalesce((select m.hidden_from_leaderboard from group_members m
                                where m.group_id = p_group and m.user_id = p_user), false)
                then ' hidden' else '' end
$$;
