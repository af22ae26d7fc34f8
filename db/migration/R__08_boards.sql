-- Boards: every member's progress, rank and streak in a period of a group,
-- as of an instant; the live leaderboard and a past period's board.
--
-- One function computes every board (group_member_period_progress_at), the
-- current one and past ones alike, from the totals of closed logs
-- (R__07_totals.sql) plus the open segment. It is the hottest read of the
-- API: each member's figures come from one index scan backward on the
-- totals' key (whose index carries the columns read) and are computed once
-- per member, in the node that sums the open segment, so the planner does
-- not copy their expressions into every column built on them.

-- The run of met periods ending with the period before p_period_start, for
-- a member whose segment still open started at p_open_since, before that
-- period: the period before has not been judged with the segment's part in
-- it yet, so it is judged here, with its closed logs' seconds.
create or replace function streak_before_open_segment(
    p_group uuid, p_user uuid, p_period group_period, p_timezone text,
    p_start_at timestamptz, p_end_at timestamptz, p_period_start timestamptz, p_open_since timestamptz)
    returns integer
    language sql stable
as $$
    select case
               when coalesce(prev.seconds, 0) + extract(epoch from p_period_start - greatest(p_open_since, before.period_start))
                    >= 60 * member_target_at(p_group, p_user, p_period_start - interval '1 microsecond')
                   then 1 + coalesce(prev.prior_run,
                                     (select r.run from member_period_totals r
                                       where r.group_id = p_group and r.user_id = p_user
                                         and r.period_end = before.period_start),
                                     0)
               else 0
           end
      from group_period_bounds(p_period, p_timezone, p_start_at, p_end_at, p_period_start - interval '1 microsecond') before
      left join lateral (   -- the period before's totals row, when it has closed logs
            select t.seconds, t.prior_run
              from member_period_totals t
             where t.group_id = p_group and t.user_id = p_user and t.period_end = p_period_start
             limit 1
           ) prev on true
$$;

comment on function streak_before_open_segment(uuid, uuid, group_period, text, timestamptz, timestamptz, timestamptz, timestamptz) is
    'The run of met periods ending with the period before p_period_start, judged with the part in it of a segment open since p_open_since.';

-- The board of the period that contains p_at, as it stood at p_at: the
-- current one with p_at = now, a past one with p_at = its last instant
-- (group_board_at). Seconds are the closed logs' totals of the period plus
-- the open segment up to p_at; the target is the one in force at the
-- period's end (the member's and group's current ones for a period still
-- running); the members are those who had joined before the period ended,
-- and any other member with time in it. streak = the run of met periods
-- ending with the one before (from the totals, renewed with an open segment
-- that crossed into this period) + 1 when this period's goal is met;
-- best_streak = the longest run so far, this one included. Declared time
-- (an open segment the device dated back, like closed device and manual
-- logs in the totals) counts when the group's setting in force at the
-- period's end counts it (declared_counts); seconds_declared is its part of
-- seconds_done.
-- Its columns changed: the view and function built on its rows go with it
-- and are made again below.
drop function if exists group_member_period_progress_at(timestamptz) cascade;
create or replace function group_member_period_progress_at(p_at timestamptz)
    returns table (
        group_id         uuid,
        user_id          uuid,
        display_name     text,
        avatar_url       text,
        period_start     timestamptz,
        period_end       timestamptz,
        target_minutes   integer,
        seconds_done     bigint,
        seconds_declared bigint,
        goal_met         boolean,
        is_focusing      boolean,
        rank             bigint,
        streak           integer,
        best_streak      integer)
    language sql stable
as $$
    select t.group_id, t.user_id, t.display_name, t.avatar_url, t.period_start, t.period_end,
           t.target_minutes, t.seconds_done, t.seconds_declared, t.goal_met, t.is_focusing,
           rank() over (partition by t.group_id order by t.seconds_done desc) as rank,
           t.streak_before + t.goal_met::integer as streak,
           greatest(t.best_before, t.streak_before + t.goal_met::integer) as best_streak
      from (
        select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
               j.target_minutes, j.seconds_done, j.seconds_declared, j.is_focusing,
               j.seconds_done >= j.target_minutes * 60 as goal_met,
               j.streak_before,
               -- the newest row's best covers every period before this one (this period's row,
               -- also its own run of closed logs, which the board's streak here never falls below)
               coalesce(newest.best, 0) as best_before
          from groups g
         cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
          join group_members m on m.group_id = g.id
          join profiles p on p.id = m.user_id
          left join lateral (   -- the member's newest totals row up to this period: one index scan backward
                select case when t.period_start = b.period_start then t.seconds end as seconds,
                       case when t.period_start = b.period_start then t.seconds_declared end as seconds_declared,
                       -- the run ending with the period before: this period's row keeps it (prior_run);
                       -- without one, the newest row before, if it is that period's
                       case when t.period_start = b.period_start then t.prior_run
                            when t.period_end = b.period_start then t.run
                            else 0 end as run_before,
                       t.best
                  from member_period_totals t
                 where t.group_id = g.id and t.user_id = m.user_id and t.period_start <= b.period_start
                 order by t.period_start desc
                 limit 1
               ) newest on true
         cross join lateral (   -- the member's open segment, if any, and the row's figures, once
                select case when b.period_end > now()
                            then coalesce(m.override_period_target_minutes, g.period_target_minutes)
                            else member_target_at(g.id, m.user_id, b.period_end - interval '1 microsecond')
                       end as target_minutes,
                       -- read at a period's last instant (a past board), a segment still open counts to its end
                       floor(coalesce(newest.seconds, 0) + coalesce(sum(greatest(0, extract(epoch from
                           case when p_at >= b.period_end - interval '1 microsecond' then b.period_end else p_at end
                           - greatest(l.started_at, b.period_start))))
                           filter (where j_counts.counts), 0))::bigint as seconds_done,
                       floor(coalesce(newest.seconds_declared, 0) + coalesce(sum(greatest(0, extract(epoch from
                           case when p_at >= b.period_end - interval '1 microsecond' then b.period_end else p_at end
                           - greatest(l.started_at, b.period_start))))
                           filter (where l.source <> 'clock' and j_counts.counts), 0))::bigint as seconds_declared,
                       count(*) > 0 as is_focusing,
                       -- a segment that ran into this period from the one before (and counts there):
                       -- that one judged with it (false, not null, without one: nothing more is evaluated)
                       case when coalesce(min(l.started_at) < b.period_start, false) and b.period_start > g.start_at
                                 and (bool_and(l.source = 'clock') or declared_counts(g.id, b.period_start))
                            then streak_before_open_segment(g.id, m.user_id, g.period, g.timezone, g.start_at,
                                                            g.end_at, b.period_start, min(l.started_at))
                            else coalesce(newest.run_before, 0)
                       end as streak_before
                  from time_logs l
                 cross join lateral (   -- read only for an open segment the device dated back
                        select case when l.source = 'clock' then true
                                    when b.period_end > now() then g.declared_time = 'counted'
                                    else declared_counts(g.id, b.period_end) end as counts
                       ) j_counts
                 where l.group_id = g.id and l.user_id = m.user_id and l.ended_at is null
                   and l.started_at <= p_at
               ) j
         -- on the board of a period: who had joined by its end, and whoever has time in it (a
         -- group created with a start in the past, its sessions dated back by their devices)
         where m.created_at < b.period_end or newest.seconds > 0 or j.is_focusing
      ) t
$$;

comment on function group_member_period_progress_at(timestamptz) is
    'Every member''s progress, streak and best streak in the period of each group that contains p_at, as of p_at.';

-- Every member's progress in the current period of every group. Filtering
-- it by group_id reaches the indexes (the function is inlined).
create or replace view group_member_period_progress as
    select * from group_member_period_progress_at(now());

-- One group's current board. The plan does not depend on which group is
-- asked for (its members, their totals rows, their open segments), so it is
-- made once per connection and kept: planning the inlined statement cost
-- more than running it.
create or replace function group_leaderboard(p_group_id uuid)
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

-- What a board's row carries to the member who reads it (board_seen_by and
-- the functions that return it). Dropped with them and re-created here when
-- it changes: nothing outside this file uses it.
drop type if exists board_entry cascade;
create type board_entry as (
    user_id                 uuid,
    display_name            text,
    avatar_url              text,
    period_start            timestamptz,
    period_end              timestamptz,
    target_minutes          integer,
    seconds_done            bigint,
    seconds_declared        bigint,
    goal_met                boolean,
    is_focusing             boolean,
    rank                    bigint,
    streak                  integer,
    best_streak             integer,
    hidden_from_leaderboard boolean,
    former_member           boolean   -- no longer a member: on past boards only (past_board_seen_by)
);

-- A board as one member sees it: the members member_shown lets them see (a
-- member who hides is absent to other plain members: boards carry nobody's
-- time but theirs), ranked among themselves, each with whether they hide.
-- No rows unless p_viewer is a member of the group. Inlined into its callers;
-- both memberships are joined at the query's own level, so member_shown
-- inlines to plain column tests (a membership passed into a lateral
-- subquery would be built as a row value for each entry), and by the
-- group's key, so the members are read by the index, not hashed whole.
create or replace function board_seen_by(p_group_id uuid, p_viewer uuid, p_at timestamptz)
    returns setof board_entry
    language sql stable
as $$
    select b.user_id, b.display_name, b.avatar_url, b.period_start, b.period_end, b.target_minutes,
           b.seconds_done, b.seconds_declared, b.goal_met, b.is_focusing,
           rank() over (order by b.seconds_done desc) as rank,
           b.streak, b.best_streak, gm.hidden_from_leaderboard, false as former_member
      from group_member_period_progress_at(p_at) b
      join group_members v on v.group_id = p_group_id and v.user_id = p_viewer
      join group_members gm on gm.group_id = p_group_id and gm.user_id = b.user_id
     where b.group_id = p_group_id and member_shown(gm, v)
$$;

-- The former members of a group on the board of a period that ended (the
-- one containing p_at): everyone whose membership of the group ended after
-- the period began and had begun before it ended (former_members), unless
-- they are a member again whom the board lists as one, with their figures by
-- the rules of group_member_period_progress_at (a former member has no open
-- segment in the group: their membership's end closed it). History is true:
-- a member who leaves stays on the past boards as they were, and is absent
-- from the current one. hidden_from_leaderboard: as it was when they last
-- left (History.java reads the same).
drop function if exists former_members_at(uuid, timestamptz);
create or replace function former_members_at(p_group_id uuid, p_at timestamptz)
    returns table (
        user_id                 uuid,
        display_name            text,
        avatar_url              text,
        period_start            timestamptz,
        period_end              timestamptz,
        target_minutes          integer,
        seconds_done            bigint,
        seconds_declared        bigint,
        goal_met                boolean,
        streak                  integer,
        best_streak             integer,
        hidden_from_leaderboard boolean)
    language sql stable
as $$
    select f.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end, x.target_minutes, x.seconds_done,
           x.seconds_declared, x.seconds_done >= x.target_minutes * 60 as goal_met,
           x.run_before + (x.seconds_done >= x.target_minutes * 60)::integer as streak,
           greatest(x.best, x.run_before + (x.seconds_done >= x.target_minutes * 60)::integer) as best_streak,
           f.hidden_from_leaderboard
      from groups g
     cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
      join lateral (
            select distinct f.user_id,
                   (select h.hidden_from_leaderboard from former_members h   -- as they last left
                     where h.group_id = g.id and h.user_id = f.user_id
                     order by h.left_at desc, h.id desc limit 1) as hidden_from_leaderboard
              from former_members f
             where f.group_id = g.id and f.left_at > b.period_start and f.joined_at < b.period_end
           ) f on true
      join profiles p on p.id = f.user_id
      left join lateral (   -- as group_member_period_progress_at: the newest totals row up to this period
            select case when t.period_start = b.period_start then t.seconds end as seconds,
                   case when t.period_start = b.period_start then t.seconds_declared end as seconds_declared,
                   case when t.period_start = b.period_start then t.prior_run
                        when t.period_end = b.period_start then t.run
                        else 0 end as run_before,
                   t.best
              from member_period_totals t
             where t.group_id = g.id and t.user_id = f.user_id and t.period_start <= b.period_start
             order by t.period_start desc
             limit 1
           ) newest on true
     cross join lateral (
            select member_target_at(g.id, f.user_id, b.period_end - interval '1 microsecond') as target_minutes,
                   floor(coalesce(newest.seconds, 0))::bigint as seconds_done,
                   floor(coalesce(newest.seconds_declared, 0))::bigint as seconds_declared,
                   coalesce(newest.run_before, 0) as run_before,
                   coalesce(newest.best, 0) as best
           ) x
     where g.id = p_group_id and b.period_end <= now()
       -- a member again is on the board as a member when that rule lists them (joined by its end, or time in it)
       and not exists (select 1 from group_members m where m.group_id = g.id and m.user_id = f.user_id
                          and (m.created_at < b.period_end or newest.seconds > 0))
$$;

comment on function former_members_at(uuid, timestamptz) is
    'The former members of a group on the board of the ended period containing p_at, with their figures in it.';

-- The board of a period that ended as p_viewer sees it: board_seen_by's
-- members and the former members of that period the viewer sees
-- (former_member_shown), ranked together.
create or replace function past_board_seen_by(p_group_id uuid, p_viewer uuid, p_at timestamptz)
    returns setof board_entry
    language sql stable
as $$
    select e.user_id, e.display_name, e.avatar_url, e.period_start, e.period_end, e.target_minutes,
           e.seconds_done, e.seconds_declared, e.goal_met, e.is_focusing,
           rank() over (order by e.seconds_done desc) as rank,
           e.streak, e.best_streak, e.hidden_from_leaderboard, e.former_member
      from (select b.* from board_seen_by(p_group_id, p_viewer, p_at) b
            union all
            select f.user_id, f.display_name, f.avatar_url, f.period_start, f.period_end, f.target_minutes,
                   f.seconds_done, f.seconds_declared, f.goal_met, false, null, f.streak, f.best_streak,
                   f.hidden_from_leaderboard,
                   -- one who is a member again is not a former member (as history says)
                   not exists (select 1 from group_members m where m.group_id = p_group_id and m.user_id = f.user_id)
              from former_members_at(p_group_id, p_at) f
              join group_members v on v.group_id = p_group_id and v.user_id = p_viewer
             where former_member_shown(f.hidden_from_leaderboard, v)) e
$$;

-- One group's current board as p_viewer sees it (board_seen_by), with a
-- plan made once per connection, like group_leaderboard.
create or replace function group_leaderboard_seen_by(p_group_id uuid, p_viewer uuid)
    returns setof board_entry
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
begin
    return query select * from board_seen_by(p_group_id, p_viewer, now());
end;
$$;

comment on function group_leaderboard_seen_by(uuid, uuid) is
    'The current board of one group as one of its members sees it (board_seen_by), with a plan made once per connection.';

-- The board of the period containing p_at, as it stood at its end (or now,
-- for the period still running), as p_viewer sees it (board_seen_by; for a
-- period that ended, past_board_seen_by: its former members too).
drop function if exists group_board_at(uuid, timestamptz);
create or replace function group_board_at(p_group_id uuid, p_at timestamptz, p_viewer uuid)
    returns setof board_entry
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_group groups%rowtype;
    v_at timestamptz;
begin
    select * into v_group from groups where id = p_group_id;
    if not found then
        return;
    end if;
    if p_at > now() then
        raise exception 'cannot be in the future' using errcode = 'LI422', column = 'at';
    end if;
    if p_at < v_group.start_at or p_at >= v_group.end_at then
        raise exception 'must lie within the group''s life, from % to %',
                to_char(v_group.start_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                to_char(v_group.end_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            using errcode = 'LI422', column = 'at';
    end if;
    v_at := least(now(), (group_period_bounds(v_group.period, v_group.timezone, v_group.start_at, v_group.end_at,
                                              p_at)).period_end - interval '1 microsecond');
    if v_at < now() then   -- a period that ended: its former members too
        return query select * from past_board_seen_by(p_group_id, p_viewer, v_at);
    else
        return query select * from board_seen_by(p_group_id, p_viewer, v_at);
    end if;
end;
$$;

comment on function group_board_at(uuid, timestamptz, uuid) is
    'The leaderboard of the period of a group that contains p_at, as it stood at that period''s end (now while it runs), as p_viewer sees it.';
