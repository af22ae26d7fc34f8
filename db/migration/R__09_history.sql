-- History: the boards of a group's past periods, newest first, and the
-- sealed boards of its final periods (period_boards).
--
-- A final period's board is what group_history computed for it; computing it
-- again on every page read was most of a history page's database time, so
-- the boards of final periods are sealed once (in the background, when a
-- page computed one) as a run from the group's first period, and read after
-- that. A sealed board is forgotten, from its period on, by whatever could
-- change what group_history computes for it:
--   * a member's totals of that period changing (a log reaching it: offline
--     logs within the grace, a long manual log, a change of the group's
--     periods rewriting the totals);
--   * a member joining again with totals from before (they were on past
--     boards as a former member, and are now as a member: R__08_boards.sql);
--     a member leaving or being removed changes no past board (they stay on
--     it as a former member, former_members_at), an erasure forgets the
--     boards it re-keys (erase_person, R__17_erasure.sql);
--   * the group's periods moving (start, end, time zone, period kind).
-- Sealing and forgetting take one advisory lock per group, so a board
-- computed from totals that a concurrent transaction is changing is
-- forgotten after that transaction, never kept.

-- The lock that sealing and forgetting a group's boards share.
create or replace function lock_period_boards(p_group_id uuid) returns void
    language sql volatile
as $$
    select pg_advisory_xact_lock(hashtextextended('lockin.period_boards:' || p_group_id::text, 0));
$$;

-- Forgets a group's sealed boards from the period starting at p_from on
-- (all of them with '-infinity'): the run from the first period stays a run.
create or replace function forget_period_boards(p_group_id uuid, p_from timestamptz) returns void
    language plpgsql volatile
as $$
begin
    perform lock_period_boards(p_group_id);
    delete from period_boards b where b.group_id = p_group_id and b.period_start >= p_from;
end;
$$;

comment on function forget_period_boards(uuid, timestamptz) is
    'Forgets the sealed boards of a group from a period on (under the group''s period_boards lock).';

-- ---------------------------------------------------------------------------
-- Forgetting: what changes a computed board forgets the sealed ones
-- ---------------------------------------------------------------------------

-- A member's totals of a past period changed: that period's board and every
-- later one (the current period is never sealed: its totals change freely).
create or replace function member_period_totals_forget_boards() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'DELETE' then
        perform forget_period_boards(old.group_id, old.period_start);
    else
        perform forget_period_boards(new.group_id, least(new.period_start, coalesce(old.period_start, new.period_start)));
    end if;
    return null;
end;
$$;

drop trigger if exists member_period_totals_forget_boards_on_insert on member_period_totals;
create trigger member_period_totals_forget_boards_on_insert after insert on member_period_totals
    for each row when (new.period_end <= now())
    execute function member_period_totals_forget_boards();

drop trigger if exists member_period_totals_forget_boards_on_update on member_period_totals;
create trigger member_period_totals_forget_boards_on_update after update on member_period_totals
    for each row when ((new.seconds, new.met, new.period_start) is distinct from (old.seconds, old.met, old.period_start)
                       and least(old.period_end, new.period_end) <= now())
    execute function member_period_totals_forget_boards();

drop trigger if exists member_period_totals_forget_boards_on_delete on member_period_totals;
create trigger member_period_totals_forget_boards_on_delete after delete on member_period_totals
    for each row when (old.period_end <= now())
    execute function member_period_totals_forget_boards();

-- Past boards list who was a member then: one leaving stays on them (a
-- former member); one joining again with totals from before is on them as a
-- member again.
create or replace function group_members_forget_boards() returns trigger
    language plpgsql
as $$
begin
    if exists (select 1 from member_period_totals t
                   where t.group_id = new.group_id and t.user_id = new.user_id and t.period_end <= now()) then
        perform forget_period_boards(new.group_id, '-infinity');
    end if;
    return null;
end;
$$;

drop trigger if exists group_members_forget_boards on group_members;
create trigger group_members_forget_boards after insert on group_members
    for each row execute function group_members_forget_boards();

-- The group's periods moved.
create or replace function groups_forget_boards() returns trigger
    language plpgsql
as $$
begin
    perform forget_period_boards(new.id, '-infinity');
    return null;
end;
$$;

drop trigger if exists groups_forget_boards on groups;
create trigger groups_forget_boards after update of start_at, end_at, timezone, period on groups
    for each row when ((new.start_at, new.end_at, new.timezone, new.period)
                       is distinct from (old.start_at, old.end_at, old.timezone, old.period))
    execute function groups_forget_boards();

-- Up to p_limit (null: all) of a group's periods after p_after and before
-- p_before (a period_start; null: up to the current one), newest first, each with its
-- board computed: a period that no open segment reaches from its members'
-- totals, the others by the board function itself.
drop function if exists group_boards_computed(uuid, timestamptz, timestamptz, integer, interval);
create or replace function group_boards_computed(p_group_id uuid, p_after timestamptz, p_before timestamptz,
                                      p_limit integer, p_grace interval)
    returns table (
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        user_ids         uuid[],
        seconds_done     bigint[],
        seconds_declared bigint[],
        goals_met        boolean[],
        is_final         boolean,
        is_first         boolean)
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
         cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at,
                                          greatest(w.upto - w.span, p_after),
                                          case when p_before is null then now() + interval '1 microsecond' else w.upto end) gp
         where g.id = p_group_id
           and (p_before is null or gp.period_start < p_before)
           and gp.period_start > p_after
         order by gp.period_start desc
         limit p_limit),   -- null: all, from p_after (greatest() passes over the null span)
    pr as materialized (   -- the group's target once per period, not per entry
        select page.*, t.target_minutes as target
          from page
         cross join lateral (
                select h.target_minutes
                  from target_history h
                 where h.group_id = p_group_id and h.user_id is null
                   and h.since <= least(page.period_end, now()) - interval '1 microsecond'
                 order by h.since desc, h.id desc
                 limit 1
               ) t),
    kept as (   -- the page's totals rows: one range of member_period_totals_group_period_idx
        select x.period_start, x.user_id, x.seconds, x.seconds_declared, x.met
          from member_period_totals x
         where x.group_id = p_group_id
           and x.period_start >= (select min(pr.period_start) from pr)
           and x.period_start <= (select max(pr.period_start) from pr)),
    settled as (
        select pr.period_start, m.user_id, floor(coalesce(t.seconds, 0))::bigint as seconds_done,
               floor(coalesce(t.seconds_declared, 0))::bigint as seconds_declared,
               coalesce(t.met, false) as goal_met
          from pr
          join group_members m on m.group_id = p_group_id
          left join kept t on t.period_start = pr.period_start and t.user_id = m.user_id
         where pr.period_end <= v_settled
           and (m.created_at < pr.period_end or t.seconds > 0)),
    running as (
        select pr.period_start, x.user_id, x.seconds_done, x.seconds_declared, x.goal_met
          from pr
         cross join lateral (
                select b.user_id, b.seconds_done, b.seconds_declared, b.goal_met
                  from group_member_period_progress_at(least(now(), pr.period_end - interval '1 microsecond')) b
                 where b.group_id = p_group_id
               ) x
         where pr.period_end > v_settled),
    formers as (   -- the former members on a period that ended (R__08_boards.sql, former_members_at)
        select pr.period_start, f.user_id, f.seconds_done, f.seconds_declared, f.goal_met
          from pr
         cross join lateral former_members_at(p_group_id, pr.period_end - interval '1 microsecond') f
         where pr.period_end <= now()),
    entries as (
        select * from settled
        union all
        select * from running
        union all
        select * from formers)
    select pr.period_start, pr.period_end, pr.target,
           coalesce(array_agg(e.user_id order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           coalesce(array_agg(e.seconds_done order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           coalesce(array_agg(e.seconds_declared order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           coalesce(array_agg(e.goal_met order by e.seconds_done desc, e.user_id) filter (where e.user_id is not null), '{}'),
           pr.period_end + p_grace <= now(),
           pr.period_start = pr.group_start
      from pr
      left join entries e on e.period_start = pr.period_start
     group by pr.period_start, pr.period_end, pr.target, pr.group_start
     order by pr.period_start desc;
end;
$$;

comment on function group_boards_computed(uuid, timestamptz, timestamptz, integer, interval) is
    'Up to p_limit of a group''s periods between p_after and p_before, newest first, each with its board computed (group_board_at''s rules).';

-- A page of a group's periods, newest first (p_before: a period_start; null:
-- from the current one): those after the newest sealed period computed, the
-- rest read from period_boards. is_sealed: read from period_boards (a final
-- period that is not tells the application to seal the group's history).
drop function if exists group_history(uuid, timestamptz, integer, interval);
create or replace function group_history(p_group_id uuid, p_before timestamptz, p_limit integer, p_grace interval)
    returns table (
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        user_ids         uuid[],
        seconds_done     bigint[],
        seconds_declared bigint[],
        goals_met        boolean[],
        is_final         boolean,
        is_first         boolean,
        is_sealed        boolean)
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
declare
    v_sealed timestamptz;   -- the newest sealed period's start
    v_count integer := 0;
begin
    select max(b.period_start) into v_sealed from period_boards b where b.group_id = p_group_id;
    if v_sealed is null or p_before is null or p_before > v_sealed then
        return query
        select c.*, false
          from group_boards_computed(p_group_id, coalesce(v_sealed, '-infinity'), p_before, p_limit, p_grace) c;
        get diagnostics v_count = row_count;
    end if;
    if v_sealed is not null and v_count < p_limit then
        return query
        select b.period_start, b.period_end, b.target_minutes, b.user_ids, b.seconds_done, b.seconds_declared, b.goals_met,
               b.period_end + p_grace <= now(), b.is_first, true
          from period_boards b
         where b.group_id = p_group_id and b.period_start < coalesce(p_before, 'infinity')
         order by b.period_start desc
         limit p_limit - v_count;
    end if;
end;
$$;

comment on function group_history(uuid, timestamptz, integer, interval) is
    'A page of a group''s periods, newest first, with every member''s seconds and goal in each: the sealed boards of final periods, the others computed.';

-- ---------------------------------------------------------------------------
-- Sealing
-- ---------------------------------------------------------------------------

-- Seals every final period (its end p_grace ago or longer) after the newest
-- sealed one; answers how many.
create or replace function seal_group_history(p_group_id uuid, p_grace interval) returns integer
    language plpgsql volatile
as $$
declare
    v_after timestamptz;
    v_count integer;
begin
    perform lock_period_boards(p_group_id);
    select coalesce(max(b.period_start), '-infinity') into v_after
      from period_boards b where b.group_id = p_group_id;
    insert into period_boards (group_id, period_start, period_end, target_minutes, user_ids, seconds_done,
                               seconds_declared, goals_met, is_first)
    select p_group_id, c.period_start, c.period_end, c.target_minutes, c.user_ids, c.seconds_done,
           c.seconds_declared, c.goals_met, c.is_first
      from group_boards_computed(p_group_id, v_after, now() - p_grace, null, p_grace) c
     where c.is_final;
    get diagnostics v_count = row_count;
    return v_count;
end;
$$;

comment on function seal_group_history(uuid, interval) is
    'Keeps the boards of a group''s final periods not kept yet in period_boards; answers how many.';
