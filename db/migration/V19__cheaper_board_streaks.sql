-- ---------------------------------------------------------------------------
-- The board's streaks, cheaper
-- ---------------------------------------------------------------------------
--
-- V10's board looked up every member's newest totals row before the period
-- (an index scan backward and a heap fetch each) for the run that ends with
-- the period before. A member with time in this period already has it on
-- this period's own row (prior_run, kept with the runs by the same trigger),
-- and that row's best covers every period before: the scan backward now runs
-- only for members without time in this period yet, and the period before's
-- row is read only when an open segment crossed from it (rare). Same
-- results (HistoryIT, ProgressIT); same signature, so the view and the
-- functions reading it stay as they are.

create or replace function group_member_period_progress_at(p_at timestamptz)
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
        rank           bigint,
        streak         integer,
        best_streak    integer)
    language sql stable
as $$
    select t.group_id, t.user_id, t.display_name, t.avatar_url, t.period_start, t.period_end,
           t.target_minutes, t.seconds_done, t.goal_met, t.is_focusing,
           rank() over (partition by t.group_id order by t.seconds_done desc) as rank,
           t.streak_before + t.goal_met::integer as streak,
           greatest(t.best_before, t.streak_before + t.goal_met::integer) as best_streak
      from (
        select s.group_id, s.user_id, s.display_name, s.avatar_url, s.period_start, s.period_end,
               s.target_minutes, s.seconds_done, s.is_focusing,
               s.seconds_done >= s.target_minutes * 60 as goal_met,
               case
                   -- the run ending with the period before: this period's totals row keeps it
                   -- (prior_run); without one, the newest row before, if it is that period's
                   when s.open_before = 0 then coalesce(s.this_prior_run,
                                                        case when s.last_end = s.period_start then s.last_run else 0 end)
                   -- an open segment ran into this period from the one before: that one judged with it
                   -- (the period before computed only here, from its own row: rare, looked up only here)
                   when coalesce(s.prev_seconds, 0) + s.open_before
                        >= 60 * member_target_at(s.group_id, s.user_id, s.period_start - interval '1 microsecond')
                       then 1 + case when s.prev_start is not null then s.prev_prior_run
                                     else coalesce((select r.run from member_period_totals r
                                                     where r.group_id = s.group_id and r.user_id = s.user_id
                                                       and r.period_end = (group_period_bounds(s.group_period, s.timezone,
                                                               s.start_at, s.end_at, s.period_start - interval '1 microsecond')).period_start), 0)
                                end
                   else 0
               end as streak_before,
               -- this period's row's best covers every period before it (and its own run of closed
               -- logs, which the board's streak here never falls below)
               coalesce(s.this_best, s.last_best, 0) as best_before
          from (
            select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
                   g.period as group_period, g.timezone, g.start_at, g.end_at,
                   case when b.period_end > now()
                        then coalesce(m.override_period_target_minutes, g.period_target_minutes)
                        else member_target_at(g.id, m.user_id, b.period_end - interval '1 microsecond')
                   end as target_minutes,
                   floor(coalesce(closed.seconds, 0) + coalesce(open_segment.seconds, 0))::bigint as seconds_done,
                   open_segment.seconds is not null as is_focusing,
                   coalesce(open_segment.seconds_before, 0) as open_before,
                   closed.prior_run as this_prior_run, closed.best as this_best,
                   last.period_end as last_end, last.run as last_run, last.best as last_best,
                   prev.period_start as prev_start, prev.seconds as prev_seconds, prev.prior_run as prev_prior_run
              from groups g
             cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
              join group_members m on m.group_id = g.id
              join profiles p on p.id = m.user_id
              left join lateral (
                    select t.seconds, t.prior_run, t.best
                      from member_period_totals t
                     where t.group_id = g.id and t.user_id = m.user_id and t.period_start = b.period_start
                     limit 1   -- (one row: the key) keeps it a lookup per member, not a join over their periods
                   ) closed on true
              left join lateral (   -- only for a member without time in this period yet
                    select t.period_end, t.run, t.best
                      from member_period_totals t
                     where closed.seconds is null
                       and t.group_id = g.id and t.user_id = m.user_id and t.period_start < b.period_start
                     order by t.period_start desc
                     limit 1
                   ) last on true
              left join lateral (
                    -- read at a period's last instant (a past board), a segment still open counts to its end
                    select sum(greatest(0, extract(epoch from
                               case when p_at >= b.period_end - interval '1 microsecond' then b.period_end else p_at end
                               - greatest(l.started_at, b.period_start)))) as seconds,
                           -- its part in the period before, when it crossed into this one
                           sum(case when b.period_start > g.start_at and l.started_at < b.period_start
                                    then extract(epoch from b.period_start - greatest(l.started_at,
                                             (group_period_bounds(g.period, g.timezone, g.start_at, g.end_at,
                                                                  b.period_start - interval '1 microsecond')).period_start))
                                    else 0 end) as seconds_before
                      from time_logs l
                     where l.group_id = g.id and l.user_id = m.user_id and l.ended_at is null
                       and l.started_at <= p_at
                   ) open_segment on true
              left join lateral (   -- the period before's row: only when an open segment crossed from it
                    select t.period_start, t.seconds, t.prior_run
                      from member_period_totals t
                     where open_segment.seconds_before > 0
                       and t.group_id = g.id and t.user_id = m.user_id and t.period_end = b.period_start
                     limit 1
                   ) prev on true
             -- on the board of a period: who had joined by its end, and whoever has time in it (a
             -- group created with a start in the past, its sessions dated back by their devices)
             where m.created_at < b.period_end or closed.seconds > 0 or open_segment.seconds is not null
          ) s
      ) t
$$;

comment on function group_member_period_progress_at(timestamptz) is
    'Every member''s progress, streak and best streak in the period of each group that contains p_at, as of p_at.';
