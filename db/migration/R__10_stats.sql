-- Stats: a person's own focus per local day, their run of days with focus,
-- and who of their groups' members is focusing.
--
-- A person's stats read their closed logs by time from one index
-- (time_logs_user_time_idx) and answer in arrays (one row, the days'
-- seconds as an array): the JDBC and EclipseLink work per row cost more
-- than the query. A run of days is looked at backwards in growing windows
-- and goes on from the day before the asked range, so a long run is not
-- counted again from today.

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

comment on function focus_by_day(uuid, date, date, text) is
    'A person''s focused seconds per local day of a time zone (every session, the running segment up to now).';

-- The days in a row with focus (seconds > 0 in p_timezone) ending on p_last,
-- p_last included: looked at backwards in windows of 32 days, then 128, then
-- 366 at most, each going on from where the last one stopped.
create or replace function focus_days_ending(p_user uuid, p_last date, p_timezone text)
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

comment on function focus_streak_days(uuid, date, text) is
    'The run of local days with any focus ending today (or yesterday while today has none yet).';

create or replace function focus_stats(p_user uuid, p_from date, p_to date, p_timezone text)
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
               and member_shown(m, mine)
           ) f on true
     where mine.user_id = p_user
       and group_status_now(g.status, g.start_at) = 'active'
     order by g.name, g.id, f.since, f.user_id
$$;
