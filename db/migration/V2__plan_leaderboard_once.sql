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

-- The milestone trigger reads the same progress twice for every statement
-- that logs time (:pause, :stop, POST /sessions/{id}/logs): the same reason,
-- the same cure.
alter function record_milestones() set plan_cache_mode = force_generic_plan;
