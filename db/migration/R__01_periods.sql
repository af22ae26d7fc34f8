-- Periods: a group's daily or weekly periods in its own time zone, and its
-- status by the database's clock.
--
-- Every board, total, history page and goal check finds its periods here.
-- Periods are computed on local wall-clock time and converted back, so a day
-- with a DST change lasts 23 or 25 hours, and they are clamped to the
-- group's life [start_at, end_at).

-- The period of a group containing p_at, clamped to the group's
-- [start_at, end_at). Computed on local wall-clock time and converted back,
-- so a day with a DST change lasts 23 or 25 hours. Before the start the
-- first period shows; after the end, the last one.
create or replace function group_period_bounds(
    p_period group_period, p_timezone text, p_start_at timestamptz, p_end_at timestamptz, p_at timestamptz,
    out period_start timestamptz, out period_end timestamptz)
    language sql stable
as $$
    select greatest(local_start at time zone p_timezone, p_start_at),
           least((local_start + step) at time zone p_timezone, p_end_at)
      from (select date_trunc(case p_period when 'daily' then 'day' else 'week' end,
                              least(greatest(p_at, p_start_at), p_end_at - interval '1 microsecond')
                                  at time zone p_timezone) as local_start,
                   case p_period when 'daily' then interval '1 day' else interval '1 week' end as step) l
$$;

-- Every period of a group that overlaps [p_from, p_to), oldest first,
-- clamped to the group's life like group_period_bounds: local midnights (or
-- Mondays) stepped in local time, so a DST day lasts 23 or 25 hours.
create or replace function group_periods(
    p_period group_period, p_timezone text, p_start_at timestamptz, p_end_at timestamptz,
    p_from timestamptz, p_to timestamptz)
    returns table (period_start timestamptz, period_end timestamptz)
    language sql stable
as $$
    select greatest(l.local_start at time zone p_timezone, p_start_at),
           least((l.local_start + u.step) at time zone p_timezone, p_end_at)
      from (select case p_period when 'daily' then 'day' else 'week' end as unit,
                   case p_period when 'daily' then interval '1 day' else interval '1 week' end as step) u
     cross join lateral generate_series(
                date_trunc(u.unit, greatest(p_from, p_start_at) at time zone p_timezone),
                date_trunc(u.unit, (least(p_to, p_end_at) - interval '1 microsecond') at time zone p_timezone),
                u.step) as l(local_start)
     where greatest(p_from, p_start_at) < least(p_to, p_end_at)
$$;

comment on function group_periods(group_period, text, timestamptz, timestamptz, timestamptz, timestamptz) is
    'The periods of a group (its period kind, zone and life) that overlap [p_from, p_to), oldest first.';

-- A group's status now: a pending group whose start has come is active even
-- before the archival job promotes its row. Every status shown or filtered
-- on goes through here.
create or replace function group_status_now(p_status group_status, p_start_at timestamptz) returns text
    language sql stable
as $$
    select case when p_status = 'pending' and p_start_at <= now() then 'active' else p_status::text end
$$;
