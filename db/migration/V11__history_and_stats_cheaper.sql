-- ---------------------------------------------------------------------------
-- History and stats made cheaper (issue 13's p99 targets)
-- ---------------------------------------------------------------------------
--
-- Measured on the bench's 1 M-log database (pgbench, one connection, the
-- bench's 1024 stats users at random):
--   * GET /api/me/stats: 3.6 ms -> 1.4 ms. A person whose run of days with
--     focus reached back to the range's start made focus_streak_days count
--     again from today in windows of 64, 256, 1024 and 4096 days (15 % of the
--     bench's users, the heavy ones); the run now goes on from the day before
--     the range (focus_days_ending). focus_by_day sums intervals (exact, no
--     numeric per log) and splits only the logs that cross a midnight.
--   * a history page: 1.15 ms -> 0.89 ms. The group's target per period is
--     one index probe in the page's query instead of a call of
--     member_target_at per period.
--   * both answer in arrays (one row for the stats, one per period of a
--     history page) instead of a row per day or entry: in the application, the
--     JDBC and EclipseLink work per row was half of a history page's time.

-- Seconds focused per local day of p_timezone from p_from to p_to (dates,
-- both included) across all of a person's sessions, the running segment up
-- to now included; a log across midnight splits between the two days.
create or replace function focus_by_day(p_user uuid, p_from date, p_to date, p_timezone text)
    returns table (day date, seconds bigint)
    language sql stable
as $$
    with bounds as (   -- the range's local midnights, once: [k] starts day k (DST-correct)
        select array_agg(d at time zone p_timezone order by d) as b
          from generate_series(p_from::timestamp, (p_to + 1)::timestamp, interval '1 day') d),
    logs as (          -- closed logs by time_logs_user_time_idx (index only), the running segment to now;
                       -- k1, k2: the days of their start and end, by binary search in the midnights
        select l.started_at, l.ended_at, width_bucket(l.started_at, x.b) as k1, width_bucket(l.ended_at, x.b) as k2
          from bounds x
          join time_logs l on l.user_id = p_user and l.ended_at > x.b[1] and l.started_at < x.b[array_length(x.b, 1)]
        union all
        select l.started_at, now(), width_bucket(l.started_at, x.b), width_bucket(now(), x.b)
          from bounds x
          join time_logs l on l.user_id = p_user and l.ended_at is null and l.started_at < x.b[array_length(x.b, 1)]),
    parts as (         -- a log within one day whole; one across midnights split at each
        select l.k1 as k, l.ended_at - l.started_at as focused
          from logs l
         where l.k1 = l.k2
        union all
        select k, least(l.ended_at, x.b[k + 1]) - greatest(l.started_at, x.b[k])
          from bounds x
          cross join logs l
          cross join lateral generate_series(greatest(l.k1, 1), least(l.k2, array_length(x.b, 1) - 1)) k
         where l.k1 <> l.k2),
    per_day as (
        select p.k, sum(p.focused) as focused
          from parts p
         group by p.k)
    select p_from + (n - 1), coalesce(floor(date_part('epoch', per_day.focused))::bigint, 0)
      from generate_series(1, p_to - p_from + 1) n
      left join per_day on per_day.k = n
     order by n
$$;

-- The days in a row with focus (seconds > 0 in p_timezone) ending on p_last,
-- p_last included: looked at backwards in windows of 32 days, then 128, then
-- 366 at most, each going on from where the last one stopped.
create function focus_days_ending(p_user uuid, p_last date, p_timezone text)
    returns integer
    language plpgsql stable
as $$
declare
    v_days integer := 0;
    v_window integer := 32;
    v_gap date;
begin
    loop
        select max(f.day) into v_gap
          from focus_by_day(p_user, p_last - v_days - v_window + 1, p_last - v_days, p_timezone) f
         where f.seconds = 0;
        if v_gap is not null then
            return p_last - v_gap;
        end if;
        v_days := v_days + v_window;
        v_window := least(v_window * 4, 366);
    end loop;
end;
$$;

comment on function focus_days_ending(uuid, date, text) is
    'The run of local days with any focus ending on a given day (that day included).';

-- The run of days with focus ending today, or yesterday while today has none
-- yet (a run is not broken until the day ends).
create or replace function focus_streak_days(p_user uuid, p_today date, p_timezone text)
    returns integer
    language sql stable
as $$
    select focus_days_ending(p_user, p_today - case when f.seconds > 0 then 0 else 1 end, p_timezone)
      from focus_by_day(p_user, p_today, p_today, p_timezone) f
$$;

drop function focus_run(boolean[]);

-- GET /api/me/stats in one statement and one row: the range (at most 366
-- days) and zone checked (LI422 on to or timezone), the seconds of each day
-- of focus_by_day (seconds[1] is p_from's), and the current run of days:
-- from those days when today is among them (going on before the range only
-- when the run reaches its first day), else focus_streak_days. One row of
-- arrays, not a row a day: the application's cost was per row.
drop function focus_stats(uuid, date, date, text);

create function focus_stats(p_user uuid, p_from date, p_to date, p_timezone text)
    returns table (seconds bigint[], streak_days integer)
    language plpgsql stable
as $$
declare
    v_today date;
    v_streak integer;
begin
    if p_to < p_from then
        raise exception 'must not be before from' using errcode = 'LI422', column = 'to';
    elsif p_to - p_from + 1 > 366 then
        raise exception 'the range may cover at most 366 days' using errcode = 'LI422', column = 'to';
    elsif not is_valid_time_zone(p_timezone) then
        raise exception 'must be an IANA time zone such as Europe/Paris' using errcode = 'LI422', column = 'timezone';
    end if;
    v_today := (now() at time zone p_timezone)::date;
    if v_today not between p_from and p_to then
        v_streak := focus_streak_days(p_user, v_today, p_timezone);
    end if;
    return query
        select x.seconds,
               case when v_streak is not null then v_streak
                    when x.gap is not null then x.run_end - x.gap
                    else greatest(x.run_end - p_from + 1, 0) + focus_days_ending(p_user, p_from - 1, p_timezone)
               end
          from (   -- one pass over the days: their seconds, the run's last day (today, or yesterday
                   -- while today has none), the last day without focus before today
                select array_agg(f.seconds order by f.day) as seconds,
                       v_today - case when coalesce(max(f.seconds) filter (where f.day = v_today), 0) > 0 then 0 else 1 end
                           as run_end,
                       max(f.day) filter (where f.seconds = 0 and f.day < v_today) as gap
                  from focus_by_day(p_user, p_from, p_to, p_timezone) f
               ) x;
end;
$$;

comment on function focus_stats(uuid, date, date, text) is
    'A person''s focused seconds per local day over a range (an array from its first day), and their current run of days with focus.';

-- ---------------------------------------------------------------------------
-- History: the group's target per period inline, a row per period
-- ---------------------------------------------------------------------------

drop function group_history(uuid, timestamptz, integer, interval);

-- A page of a group's periods, newest first: one row per period, its entries
-- as arrays in board order (seconds_done desc, user_id) instead of a row per
-- entry (the application's cost was per row: 400 rows for a page of 20 days
-- of a 20-member group).
create function group_history(p_group_id uuid, p_before timestamptz, p_limit integer, p_grace interval)
    returns table (
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        user_ids       uuid[],
        seconds_done   bigint[],
        goals_met      boolean[],
        is_final       boolean,
        is_first       boolean)
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_settled timestamptz;   -- periods ending by then are settled: no open segment reaches them
begin
    select least(coalesce(min(l.started_at), now()), now()) into v_settled
      from time_logs l
     where l.group_id = p_group_id and l.ended_at is null;
    return query
    with page as (   -- only the page's stretch of periods is made (a day or week each, two more for DST)
        select gp.period_start, gp.period_end, g.start_at as group_start
          from groups g
         cross join lateral (
                select least(coalesce(p_before, 'infinity'), now()) as upto,
                       case g.period when 'daily' then interval '1 day' else interval '1 week' end * (p_limit + 2) as span
               ) w
         cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, w.upto - w.span,
                                          case when p_before is null then now() + interval '1 microsecond' else w.upto end) gp
         where g.id = p_group_id
           and (p_before is null or gp.period_start < p_before)
         order by gp.period_start desc
         limit p_limit),
    pr as materialized (   -- the group's target once per period, not per entry
        select page.*, t.target_minutes as target
          from page
         cross join lateral (   -- member_target_at's group branch, inline: one index probe, no function call
                select h.target_minutes
                  from target_history h
                 where h.group_id = p_group_id and h.user_id is null
                   and h.since <= least(page.period_end, now()) - interval '1 microsecond'
                 order by h.since desc, h.id desc
                 limit 1
               ) t),
    kept as (   -- the page's totals rows: one range of member_period_totals_group_period_idx
        select x.period_start, x.user_id, x.seconds, x.met
          from member_period_totals x
         where x.group_id = p_group_id
           and x.period_start >= (select min(pr.period_start) from pr)
           and x.period_start <= (select max(pr.period_start) from pr)),
    settled as (
        select pr.period_start, m.user_id, floor(coalesce(t.seconds, 0))::bigint as seconds_done,
               coalesce(t.met, false) as goal_met
          from pr
          join group_members m on m.group_id = p_group_id
          left join kept t on t.period_start = pr.period_start and t.user_id = m.user_id
         where pr.period_end <= v_settled
           and (m.created_at < pr.period_end or t.seconds > 0)),
    running as (
        select pr.period_start, x.user_id, x.seconds_done, x.goal_met
          from pr
         cross join lateral (
                select b.user_id, b.seconds_done, b.goal_met
                  from group_member_period_progress_at(least(now(), pr.period_end - interval '1 microsecond')) b
                 where b.group_id = p_group_id
               ) x
         where pr.period_end > v_settled),
    entries as (
        select * from settled
        union all
        select * from running)
    select pr.period_start, pr.period_end, pr.target,
           coalesce(array_agg(e.user_id order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           coalesce(array_agg(e.seconds_done order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           coalesce(array_agg(e.goal_met order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           pr.period_end + p_grace <= now(),
           pr.period_start = pr.group_start
      from pr
      left join entries e on e.period_start = pr.period_start
     group by pr.period_start, pr.period_end, pr.target, pr.group_start
     order by pr.period_start desc;
end;
$$;

comment on function group_history(uuid, timestamptz, integer, interval) is
    'A page of a group''s periods, newest first, with every member''s seconds and goal in each (the boards of group_board_at), one row per period.';
