-- The progress board as it was before history and streaks, the baseline of
-- the streaks' cost (issue 13: a streak on the board adds no more than 10 %
-- to its cost): group_member_period_progress_at as released before streaks
-- (closed time summed from the period's time logs, no streaks), kept here
-- as bench.board_before_streaks_at since the migrations that held it were
-- squashed into one baseline. bench/lib/measure.sh's measure_streak_cost runs
-- this file, then reads it against group_leaderboard in alternating pgbench
-- runs on the same database: a same-machine, same-minute ratio, where
-- comparing with a run of another day would measure the machine.

create function bench.board_before_streaks_at(p_at timestamptz)
    returns table (
        group_id       uuid,
        user_id        uuid,
        display_name   text,
        avatar_url     text,
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        seconds_done   bigint,
        goal_met       boolean,
        is_focusing    boolean,
        rank           bigint)
    language sql stable
as $$
    select t.group_id, t.user_id, t.display_name, t.avatar_url, t.period_start, t.period_end,
           t.target_minutes, t.seconds_done, t.seconds_done >= t.target_minutes * 60 as goal_met,
           t.is_focusing,
           rank() over (partition by t.group_id order by t.seconds_done desc) as rank
      from (
        select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
               coalesce(m.override_period_target_minutes, g.period_target_minutes) as target_minutes,
               floor(coalesce(logged.seconds, 0) + coalesce(open_segment.seconds, 0))::bigint as seconds_done,
               open_segment.seconds is not null as is_focusing
          from groups g
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
          join group_members m on m.group_id = g.id
          join profiles p on p.id = m.user_id
          left join lateral (
                select sum(extract(epoch from least(l.ended_at, b.period_end) - greatest(l.started_at, b.period_start))) as seconds
                  from time_logs l
                 where l.group_id = g.id and l.user_id = m.user_id
                   and l.ended_at > b.period_start and l.started_at < b.period_end
               ) logged on true
          left join lateral (
                select sum(greatest(0, extract(epoch from
                           least(p_at, b.period_end) - greatest(l.started_at, b.period_start)))) as seconds
                  from time_logs l
                 where l.group_id = g.id and l.user_id = m.user_id and l.ended_at is null
               ) open_segment on true
      ) t
$$;

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
