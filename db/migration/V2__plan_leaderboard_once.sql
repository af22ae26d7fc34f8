-- ---------------------------------------------------------------------------
-- The leaderboard, planned once per connection
-- ---------------------------------------------------------------------------
--
-- Reading one group's leaderboard through the view inlines
-- group_member_period_progress_at into the statement. PostgreSQL planned that
-- statement again on every execution (it kept preferring custom plans for
-- the group id), and planning it cost more than running it: 0.39 ms against
-- 0.37 ms at 1 M time logs. The plan does not depend on which group is
-- asked for (one group's members, their logs of one period through
-- time_logs_group_period_idx, their running sessions through
-- sessions_running_idx), so it is made once per connection and kept: the
-- statement alone went from ~2,300 to ~5,200 executions a second with 32
-- clients on 2 cores (BENCHMARKS.md).

create function group_leaderboard(p_group_id uuid)
    returns setof group_member_period_progress
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
begin
    return query select * from group_member_period_progress where group_id = p_group_id;
end;
$$;

comment on function group_leaderboard(uuid) is
    'Every member''s progress in the current period of one group (the view group_member_period_progress), with a plan made once per connection.';

-- The milestone trigger runs for every statement that logs time (:pause,
-- :stop, POST /sessions/{id}/logs). It computed the group's progress twice,
-- once for each kind of milestone, and planned it at every run. Now the
-- progress is computed once per group (a CTE read by both inserts, one
-- statement) with a plan kept per connection; what it writes is unchanged.
create or replace function record_milestones() returns trigger
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_group uuid;
begin
    for v_group in select distinct group_id from new_logs where group_id is not null loop
        with progress as (
                 select p.* from group_member_period_progress_at(now()) p where p.group_id = v_group),
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
