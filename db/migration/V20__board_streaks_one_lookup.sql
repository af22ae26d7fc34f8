-- ---------------------------------------------------------------------------
-- The board's streaks: one lookup per member, the rare case out of line
-- ---------------------------------------------------------------------------
--
-- V19's board still cost ~1.25x the same board without streaks (issue 13
-- allows 1.10x). Its lookups were cheap; the cost was the statement's size:
-- a second lateral lookup per member (the newest totals row before the
-- period, for members without one in it) and, inside the streak's
-- expression, the rare case of a segment still open since the period before
-- (its subquery, the period bounds and target_at calls), which the planner
-- copies into both streak and best_streak and the executor sets up at every
-- execution of the cached plan whether any row needs it or not.
--
-- Now one index scan backward per member reads the newest totals row up to
-- this period: this period's own row when there is one (seconds, prior_run,
-- best), else the newest before it (its run continues into this period if it
-- ended where this one starts). The primary key's index carries the columns
-- the board reads, so that scan does not visit the table (an index-only scan
-- wherever the page is all-visible: every final period, most of the
-- current one's rows between vacuums). It replaces the plain key rather than
-- adding a third index: a write still maintains two. The rare case is a
-- function of its own, called only for a member whose open segment crossed
-- from the period before. Same results, same signature: the view and the
-- functions reading it stay.
--
-- Measured on the bench's 1 M database (BENCHMARKS.md "Streaks' cost, round
-- 2"): the board with streaks ~1.07x the same board without them, V19 1.25x.

-- The key's index rebuilt with the board's columns (one short exclusive lock
-- on the table while it builds: seconds for a year of a large deployment).
alter table member_period_totals
    drop constraint member_period_totals_pkey,
    add constraint member_period_totals_pkey primary key (group_id, user_id, period_start)
        include (period_end, seconds, prior_run, run, best);

-- The run of met periods ending with the period before p_period_start, for
-- a member whose segment still open started before it (open_before seconds
-- of it in the period before): that period has not been judged with the
-- segment yet, so it is judged here, with its closed logs' seconds.
create function streak_before_open_segment(
    p_group uuid, p_user uuid, p_period group_period, p_timezone text,
    p_start_at timestamptz, p_end_at timestamptz, p_period_start timestamptz, p_open_before numeric)
    returns integer
    language sql stable
as $$
    select case
               when coalesce(prev.seconds, 0) + p_open_before
                    >= 60 * member_target_at(p_group, p_user, p_period_start - interval '1 microsecond')
                   then 1 + coalesce(prev.prior_run,
                                     (select r.run from member_period_totals r
                                       where r.group_id = p_group and r.user_id = p_user
                                         and r.period_end = (group_period_bounds(p_period, p_timezone, p_start_at, p_end_at,
                                                 p_period_start - interval '1 microsecond')).period_start),
                                     0)
               else 0
           end
      from (select 1) one
      left join lateral (
            select t.seconds, t.prior_run
              from member_period_totals t
             where t.group_id = p_group and t.user_id = p_user and t.period_end = p_period_start
             limit 1
           ) prev on true
$$;

comment on function streak_before_open_segment(uuid, uuid, group_period, text, timestamptz, timestamptz, timestamptz, numeric) is
    'The run of met periods ending with the period before p_period_start, judged with the open segment''s p_open_before seconds in it.';

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
                   when s.open_before = 0 then s.run_before
                   -- an open segment ran into this period from the one before: that one judged with it
                   else streak_before_open_segment(s.group_id, s.user_id, s.group_period, s.timezone,
                                                   s.start_at, s.end_at, s.period_start, s.open_before)
               end as streak_before,
               -- the newest row's best covers every period before this one (this period's row,
               -- also its own run of closed logs, which the board's streak here never falls below)
               s.best_before
          from (
            select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
                   g.period as group_period, g.timezone, g.start_at, g.end_at,
                   case when b.period_end > now()
                        then coalesce(m.override_period_target_minutes, g.period_target_minutes)
                        else member_target_at(g.id, m.user_id, b.period_end - interval '1 microsecond')
                   end as target_minutes,
                   floor(coalesce(newest.seconds, 0) + coalesce(open_segment.seconds, 0))::bigint as seconds_done,
                   open_segment.seconds is not null as is_focusing,
                   coalesce(open_segment.seconds_before, 0) as open_before,
                   coalesce(newest.run_before, 0) as run_before,
                   coalesce(newest.best, 0) as best_before
              from groups g
             cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
              join group_members m on m.group_id = g.id
              join profiles p on p.id = m.user_id
              left join lateral (   -- the member's newest totals row up to this period: one index scan backward
                    select case when t.period_start = b.period_start then t.seconds end as seconds,
                           case when t.period_start = b.period_start then t.prior_run
                                when t.period_end = b.period_start then t.run
                                else 0 end as run_before,
                           t.best
                      from member_period_totals t
                     where t.group_id = g.id and t.user_id = m.user_id and t.period_start <= b.period_start
                     order by t.period_start desc
                     limit 1
                   ) newest on true
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
             -- on the board of a period: who had joined by its end, and whoever has time in it (a
             -- group created with a start in the past, its sessions dated back by their devices)
             where m.created_at < b.period_end or newest.seconds > 0 or open_segment.seconds is not null
          ) s
      ) t
$$;

comment on function group_member_period_progress_at(timestamptz) is
    'Every member''s progress, streak and best streak in the period of each group that contains p_at, as of p_at.';
