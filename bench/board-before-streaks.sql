-- The progress board as it was before history and streaks, the baseline of
-- the streaks' cost (issue 13: a streak on the board adds no more than 10 %
-- to its cost): V4's group_member_period_progress_at (closed time summed from
-- the period's time logs, no streaks), as released before V10. Its body is
-- not repeated here: bench/lib/measure.sh's measure_streak_cost creates it as
-- bench.board_before_streaks_at from db/migration/V4__timeline.sql itself (a
-- released migration never changes), then runs this file, and reads it
-- against group_leaderboard in alternating pgbench runs on the same
-- database: a same-machine, same-minute ratio, where comparing with a run of
-- another day would measure the machine.

create view bench.board_before_streaks as select * from bench.board_before_streaks_at(now());

-- read as the application reads the board (group_leaderboard): a plan made once per connection
create function bench.board_before_streaks(p_group_id uuid)
    returns setof bench.board_before_streaks
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
begin
    return query select * from bench.board_before_streaks where group_id = p_group_id;
end;
$$;
