-- ---------------------------------------------------------------------------
-- History and streaks
-- ---------------------------------------------------------------------------
--
-- Every period of a group's life has a leaderboard, computed by the same
-- function as the current one (group_member_period_progress_at), and every
-- member has a streak of periods in which they met their goal. Neither may
-- scan a member's whole history on each read, so the database keeps, in the
-- same transaction as the logs:
--   * member_period_totals: per group, member and period, the seconds of
--     their closed logs in it, whether that met the period's target, and the
--     run of met periods ending there (and the longest run so far);
--   * target_history: every target a group or a member's override had, and
--     since when, so a past period keeps the target it had (a target changed
--     today applies from the current period on; final periods never change).
-- The open segment of a running session is not in the totals: the board adds
-- it as it always did.

-- ---------------------------------------------------------------------------
-- Periods
-- ---------------------------------------------------------------------------

-- Every period of a group that overlaps [p_from, p_to), oldest first,
-- clamped to the group's life like group_period_bounds: local midnights (or
-- Mondays) stepped in local time, so a DST day lasts 23 or 25 hours.
create function group_periods(
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

-- ---------------------------------------------------------------------------
-- Targets over time
-- ---------------------------------------------------------------------------

create table target_history (
    id             bigint generated always as identity primary key,
    group_id       uuid not null references groups (id) on delete cascade,
    user_id        uuid references profiles (id) on delete cascade,   -- null: the group's own target
    since          timestamptz not null,
    target_minutes integer check (target_minutes > 0)                -- a member's null: override removed
);

create index target_history_lookup_idx on target_history (group_id, user_id, since desc, id desc);

comment on table target_history is
    'Every target a group had (user_id null) and every override of a member, since when: a past period keeps its target.';

insert into target_history (group_id, user_id, since, target_minutes)
select id, null, '-infinity', period_target_minutes from groups;
insert into target_history (group_id, user_id, since, target_minutes)
select group_id, user_id, '-infinity', override_period_target_minutes
  from group_members where override_period_target_minutes is not null;

-- The target of a member (p_user) or of the group (p_user null) in force at p_at.
create function member_target_at(p_group uuid, p_user uuid, p_at timestamptz)
    returns integer
    language sql stable
as $$
    select coalesce(
        (select h.target_minutes from target_history h
          where h.group_id = p_group and h.user_id = p_user and h.since <= p_at
          order by h.since desc, h.id desc limit 1),
        (select h.target_minutes from target_history h
          where h.group_id = p_group and h.user_id is null and h.since <= p_at
          order by h.since desc, h.id desc limit 1))
$$;

-- ---------------------------------------------------------------------------
-- Per member and period: seconds, goal met, runs
-- ---------------------------------------------------------------------------

create table member_period_totals (
    group_id     uuid not null references groups (id) on delete cascade,
    user_id      uuid not null references profiles (id) on delete cascade,
    period_start timestamptz not null,
    period_end   timestamptz not null,
    seconds      numeric not null default 0,      -- closed logs only, clipped to the period
    met          boolean not null default false,  -- seconds >= 60 * the target in force at the period's end
    prior_run    integer not null default 0,      -- met periods in a row ending right before this one
    run          integer not null default 0,      -- met ? prior_run + 1 : 0
    best         integer not null default 0,      -- the longest run up to this period
    primary key (group_id, user_id, period_start)
);

-- a history page reads its periods' rows of every member in one range
create index member_period_totals_group_period_idx on member_period_totals (group_id, period_start)
    include (user_id, seconds, met);

comment on table member_period_totals is
    'Per group, member and period: seconds of closed logs, goal met, the run of met periods ending there (kept by triggers).';

-- Recomputes met, prior_run, run and best of the rows of a group (one
-- member, or all when p_user is null) from the period starting at p_from on,
-- continuing the run of the row before it. The rows are locked first and read
-- as they are then, so two transactions changing one member's periods end
-- with the runs of their combined seconds.
create function refresh_member_runs(p_group uuid, p_user uuid, p_from timestamptz)
    returns void
    language sql
as $$
    with locked as (
        select t.user_id, t.period_start, t.period_end, t.seconds
          from member_period_totals t
         where t.group_id = p_group and (p_user is null or t.user_id = p_user) and t.period_start >= p_from
         order by t.user_id, t.period_start
           for update),
    seed as (
        select distinct on (t.user_id) t.user_id, t.period_end, t.run, t.best
          from member_period_totals t
         where t.group_id = p_group and (p_user is null or t.user_id = p_user) and t.period_start < p_from
         order by t.user_id, t.period_start desc),
    judged as (
        select l.user_id, l.period_start,
               l.seconds >= 60 * member_target_at(p_group, l.user_id, l.period_end - interval '1 microsecond') as met,
               coalesce(lag(l.period_end) over w, s.period_end) = l.period_start as contiguous,
               row_number() over w = 1 as first,
               coalesce(s.run, 0) as seed_run,
               coalesce(s.best, 0) as seed_best
          from locked l
          left join seed s on s.user_id = l.user_id
        window w as (partition by l.user_id order by l.period_start)),
    linked as (   -- does the row continue a run: met, right after a period that was met
        select j.*,
               j.met and coalesce(j.contiguous, false)
                     and case when j.first then j.seed_run > 0 else lag(j.met) over w end as continues
          from judged j
        window w as (partition by j.user_id order by j.period_start)),
    islands as (
        select k.*, sum(case when k.continues then 0 else 1 end) over w as island
          from linked k
        window w as (partition by k.user_id order by k.period_start)),
    runs as (
        select i.*,
               case when not i.met then 0
                    else row_number() over (partition by i.user_id, i.island order by i.period_start)
                         + case when i.island = 0 then i.seed_run else 0 end
               end as run
          from islands i),
    final as (
        select r.user_id, r.period_start, r.met, r.run,
               case when not coalesce(r.contiguous, false) then 0
                    when r.first then r.seed_run
                    else lag(r.run) over w end as prior_run,
               greatest(r.seed_best, max(r.run) over w) as best
          from runs r
        window w as (partition by r.user_id order by r.period_start))
    update member_period_totals t
       set met = f.met, prior_run = f.prior_run, run = f.run, best = f.best
      from final f
     where t.group_id = p_group and t.user_id = f.user_id and t.period_start = f.period_start
       and (t.met, t.prior_run, t.run, t.best) is distinct from (f.met, f.prior_run, f.run, f.best)
$$;

-- Rebuilds a group's totals from the period starting at p_from on (every
-- period with '-infinity'): after its window, zone or period kind changed,
-- and to fill the table for data written without triggers.
create function rebuild_member_period_totals(p_group uuid, p_from timestamptz)
    returns void
    language plpgsql
as $$
begin
    delete from member_period_totals where group_id = p_group and period_start >= p_from;
    insert into member_period_totals (group_id, user_id, period_start, period_end, seconds)
    select l.group_id, l.user_id, p.period_start, p.period_end,
           sum(extract(epoch from least(l.ended_at, p.period_end) - greatest(l.started_at, p.period_start)))
      from time_logs l
      join groups g on g.id = l.group_id
     cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at,
                                      greatest(l.started_at, p_from), l.ended_at) p
     where l.group_id = p_group and l.ended_at is not null and l.ended_at > p_from
     group by l.group_id, l.user_id, p.period_start, p.period_end
    having sum(extract(epoch from least(l.ended_at, p.period_end) - greatest(l.started_at, p.period_start))) > 0;
    perform refresh_member_runs(p_group, null, p_from);
end;
$$;

-- Every closed log counts, in the same transaction: once per statement,
-- however many logs it writes (a pause closes one per participant, the
-- archival many), so a bulk load costs one pass: the statement's logs are
-- added (and those it changed or removed taken back) per member and period,
-- then each member's runs are renewed once from the earliest period touched.
-- Named to run before the statement's other triggers (milestones, goal
-- checks), which read the totals.
create function time_logs_count_in_totals() returns trigger
    language plpgsql
as $$
declare
    v_changed jsonb;
    v_touched jsonb;
    v_member record;
begin
    -- the closed logs the statement wrote (1) and those it changed or removed (-1); each
    -- branch reads only the transition tables its event has
    if tg_op = 'INSERT' then
        select jsonb_agg(jsonb_build_object('group_id', l.group_id, 'user_id', l.user_id,
                                            'started_at', l.started_at, 'ended_at', l.ended_at, 'sign', 1))
          into v_changed
          from new_logs l where l.group_id is not null and l.ended_at is not null;
    elsif tg_op = 'UPDATE' then
        select jsonb_agg(jsonb_build_object('group_id', x.group_id, 'user_id', x.user_id,
                                            'started_at', x.started_at, 'ended_at', x.ended_at, 'sign', x.sign))
          into v_changed
          from (select l.group_id, l.user_id, l.started_at, l.ended_at, 1 as sign
                  from new_logs l where l.group_id is not null and l.ended_at is not null
                union all
                select l.group_id, l.user_id, l.started_at, l.ended_at, -1
                  from old_logs l where l.group_id is not null and l.ended_at is not null) x;
    else
        select jsonb_agg(jsonb_build_object('group_id', l.group_id, 'user_id', l.user_id,
                                            'started_at', l.started_at, 'ended_at', l.ended_at, 'sign', -1))
          into v_changed
          from old_logs l where l.group_id is not null and l.ended_at is not null;
    end if;
    if v_changed is null then
        return null;
    end if;

    with changed as (
        select * from jsonb_to_recordset(v_changed)
                   as c(group_id uuid, user_id uuid, started_at timestamptz, ended_at timestamptz, sign integer)),
    deltas as (
        select c.group_id, c.user_id, p.period_start, p.period_end,
               sum(c.sign * extract(epoch from least(c.ended_at, p.period_end) - greatest(c.started_at, p.period_start))) as seconds
          from changed c
          join groups g on g.id = c.group_id
         cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, c.started_at, c.ended_at) p
         group by c.group_id, c.user_id, p.period_start, p.period_end),
    counted as (
        insert into member_period_totals as t (group_id, user_id, period_start, period_end, seconds)
        select d.group_id, d.user_id, d.period_start, d.period_end, d.seconds
          from deltas d
         where d.seconds <> 0
         order by d.group_id, d.user_id, d.period_start
        on conflict (group_id, user_id, period_start) do update set seconds = t.seconds + excluded.seconds
        returning t.group_id, t.user_id, t.period_start)
    select jsonb_agg(jsonb_build_object('group_id', group_id, 'user_id', user_id, 'from', first) order by group_id, user_id)
      into v_touched
      from (select group_id, user_id, min(period_start) as first from counted group by group_id, user_id) x;
    for v_member in
        select * from jsonb_to_recordset(coalesce(v_touched, '[]')) as x(group_id uuid, user_id uuid, "from" timestamptz)
    loop
        perform refresh_member_runs(v_member.group_id, v_member.user_id, v_member."from");
    end loop;
    return null;
end;
$$;

-- one trigger per event: PostgreSQL allows a transition table only on single-event triggers
-- (the body reads only the tables its event has)
create trigger time_logs_count_in_totals after insert on time_logs
    referencing new table as new_logs
    for each statement execute function time_logs_count_in_totals();

create trigger time_logs_count_in_totals_on_change after update on time_logs
    referencing old table as old_logs new table as new_logs
    for each statement execute function time_logs_count_in_totals();

create trigger time_logs_count_in_totals_on_delete after delete on time_logs
    referencing old table as old_logs
    for each statement execute function time_logs_count_in_totals();

-- A manual log written while its member runs brings their goal's crossing
-- forward. V9 planned it again from the row trigger, before the statement's
-- totals were counted; now after them (this trigger's name sorts after
-- time_logs_count_in_totals, statement triggers fire by name).
create or replace function time_logs_notify_live() returns trigger
    language plpgsql
as $$
declare
    v_session uuid;
begin
    if tg_op <> 'DELETE' and new.group_id is not null then
        perform notify_live('board ' || new.group_id);
    end if;
    if tg_op <> 'INSERT' and old.group_id is not null
       and (tg_op = 'DELETE' or old.group_id is distinct from new.group_id) then
        perform notify_live('board ' || old.group_id);
    end if;

    if tg_op = 'INSERT' and new.ended_at is null and new.group_id is not null then
        select session_id into v_session from session_participants where id = new.participant_id;
        perform notify_live('presence ' || new.group_id || ' ' || new.user_id || ' ' || v_session || ' 1');
        perform schedule_goal_checks(new.group_id, array[new.user_id],
                                     case when new.started_at < now() - interval '5 seconds'
                                          then interval '3 seconds' else interval '0' end);
    elsif tg_op <> 'INSERT' and old.ended_at is null and old.group_id is not null
          and (tg_op = 'DELETE' or new.ended_at is not null) then
        select session_id into v_session from session_participants where id = old.participant_id;
        perform notify_live('presence ' || old.group_id || ' ' || old.user_id || ' ' || v_session || ' 0');
        delete from goal_checks where group_id = old.group_id and user_id = old.user_id;
    end if;
    return null;
end;
$$;

create function time_logs_replan_goal_checks() returns trigger
    language plpgsql
as $$
declare
    v_group uuid;
    v_users uuid[];
begin
    for v_group, v_users in
        select l.group_id, array_agg(distinct l.user_id)
          from new_logs l
         where l.group_id is not null and l.ended_at is not null
           and exists (select 1 from goal_checks c where c.group_id = l.group_id and c.user_id = l.user_id)
         group by l.group_id
    loop
        perform schedule_goal_checks(v_group, v_users);
    end loop;
    return null;
end;
$$;

create trigger time_logs_replan_goal_checks after insert on time_logs
    referencing new table as new_logs
    for each statement execute function time_logs_replan_goal_checks();

-- A new target applies from the current period on: recorded with its moment,
-- and the current period's goal judged again.
create function groups_keep_target_history() returns trigger
    language plpgsql
as $$
declare
    v_current timestamptz;
begin
    if tg_op = 'INSERT' then
        insert into target_history (group_id, user_id, since, target_minutes)
        values (new.id, null, '-infinity', new.period_target_minutes);
        return null;
    end if;
    if (new.start_at, new.end_at, new.timezone, new.period)
       is distinct from (old.start_at, old.end_at, old.timezone, old.period) then
        -- the periods themselves moved: from the first one that may differ
        perform rebuild_member_period_totals(new.id,
            case when (new.start_at, new.timezone, new.period) is distinct from (old.start_at, old.timezone, old.period)
                 then '-infinity'
                 else (group_period_bounds(new.period, new.timezone, new.start_at, new.end_at,
                                           least(old.end_at, new.end_at) - interval '1 microsecond')).period_start
            end);
    end if;
    if new.period_target_minutes is distinct from old.period_target_minutes then
        insert into target_history (group_id, user_id, since, target_minutes)
        values (new.id, null, now(), new.period_target_minutes);
        v_current := (group_period_bounds(new.period, new.timezone, new.start_at, new.end_at, now())).period_start;
        perform refresh_member_runs(new.id, null, v_current);
    end if;
    return null;
end;
$$;

create trigger groups_keep_target_history after insert or update on groups
    for each row execute function groups_keep_target_history();

create function group_members_keep_target_history() returns trigger
    language plpgsql
as $$
declare
    v_group groups%rowtype;
begin
    if tg_op = 'INSERT' then
        if new.override_period_target_minutes is not null then
            -- since always, unless the person was a member before (their old periods keep what they had)
            insert into target_history (group_id, user_id, since, target_minutes)
            select new.group_id, new.user_id,
                   case when exists (select 1 from target_history h
                                      where h.group_id = new.group_id and h.user_id = new.user_id)
                        then now() else '-infinity' end,
                   new.override_period_target_minutes;
        end if;
        return null;
    end if;
    if tg_op = 'DELETE' then
        -- a member who leaves keeps their past (totals and targets); an override ends with them
        if old.override_period_target_minutes is not null then
            insert into target_history (group_id, user_id, since, target_minutes)
            values (old.group_id, old.user_id, now(), null);
        end if;
        return null;
    end if;
    if new.override_period_target_minutes is distinct from old.override_period_target_minutes then
        insert into target_history (group_id, user_id, since, target_minutes)
        values (new.group_id, new.user_id, now(), new.override_period_target_minutes);
        select * into v_group from groups where id = new.group_id;
        perform refresh_member_runs(new.group_id, new.user_id,
            (group_period_bounds(v_group.period, v_group.timezone, v_group.start_at, v_group.end_at, now())).period_start);
    end if;
    return null;
end;
$$;

create trigger group_members_keep_target_history
    after insert or delete or update of override_period_target_minutes on group_members
    for each row execute function group_members_keep_target_history();

-- The totals of the data already there.
select rebuild_member_period_totals(id, '-infinity') from groups;

-- ---------------------------------------------------------------------------
-- The leaderboard of any period, with streaks
-- ---------------------------------------------------------------------------
--
-- group_member_period_progress_at(p_at) is the board of the period that
-- contains p_at, as it stood at p_at: the current one with p_at = now, a
-- past one with p_at = its last instant (group_board_at). Seconds are the
-- closed logs' totals of the period plus the open segment up to p_at; the
-- target is the one in force at the period's end (the member's and group's
-- current ones for a period still running); the members are those who had
-- joined before the period ended, and any other member with time in it. streak = the run of met periods ending
-- with the one before (from its totals row, renewed with an open segment
-- that crossed into the current period) + 1 when this period's goal is met;
-- best_streak = the longest run so far, this one included.

drop function group_leaderboard(uuid);
drop view group_member_period_progress;
drop function group_member_period_progress_at(timestamptz);

create function group_member_period_progress_at(p_at timestamptz)
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
                   -- the run ending with the period before, from its totals row (none: no run)
                   when s.open_before = 0 then case when s.last_end = s.period_start then s.last_run else 0 end
                   -- an open segment ran into this period from the one before: that one judged with it
                   -- (the period before computed only here)
                   when coalesce(case when s.last_end = s.period_start then s.last_seconds end, 0) + s.open_before
                        >= 60 * member_target_at(s.group_id, s.user_id, s.period_start - interval '1 microsecond')
                       then 1 + case when s.last_end = s.period_start then s.last_prior_run
                                     else coalesce((select r.run from member_period_totals r
                                                     where r.group_id = s.group_id and r.user_id = s.user_id
                                                       and r.period_end = (group_period_bounds(s.group_period, s.timezone,
                                                               s.start_at, s.end_at, s.period_start - interval '1 microsecond')).period_start), 0)
                                end
                   else 0
               end as streak_before,
               coalesce(s.last_best, 0) as best_before
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
                   last.period_end as last_end, last.seconds as last_seconds, last.run as last_run,
                   last.prior_run as last_prior_run, last.best as last_best
              from groups g
             cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
              join group_members m on m.group_id = g.id
              join profiles p on p.id = m.user_id
              left join lateral (
                    select t.seconds
                      from member_period_totals t
                     where t.group_id = g.id and t.user_id = m.user_id and t.period_start = b.period_start
                     limit 1   -- (one row: the key) keeps it a lookup per member, not a join over their periods
                   ) closed on true
              left join lateral (
                    select t.period_end, t.seconds, t.run, t.prior_run, t.best
                      from member_period_totals t
                     where t.group_id = g.id and t.user_id = m.user_id and t.period_start < b.period_start
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
             -- on the board of a period: who had joined by its end, and whoever has time in it (a
             -- group created with a start in the past, its sessions dated back by their devices)
             where m.created_at < b.period_end or closed.seconds > 0 or open_segment.seconds is not null
          ) s
      ) t
$$;

comment on function group_member_period_progress_at(timestamptz) is
    'Every member''s progress, streak and best streak in the period of each group that contains p_at, as of p_at.';

create view group_member_period_progress as
    select * from group_member_period_progress_at(now());

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

-- The board of the period containing p_at, as it stood at its end (or now,
-- for the period still running).
create function group_board_at(p_group_id uuid, p_at timestamptz)
    returns setof group_member_period_progress
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
    return query select * from group_member_period_progress_at(v_at) p where p.group_id = p_group_id;
end;
$$;

comment on function group_board_at(uuid, timestamptz) is
    'The leaderboard of the period of a group that contains p_at, as it stood at that period''s end (now while it runs).';

-- A group's periods from its start to the current one, newest first, before
-- p_before (a period_start; null: from the current one), p_limit of them,
-- each with its board (one row per member and period; a period without
-- anyone on its board has one row with null user_id). is_final: the offline
-- grace p_grace after its end has passed; is_first: the group's first period.
-- A period that no open segment reaches is its totals: the seconds and goal
-- the board function would compute are those of its member_period_totals
-- rows (met was judged with the target in force at its end), read by key;
-- the others (the current period, and the one before while a segment that
-- began in it still runs) are computed by the board function itself.
create function group_history(p_group_id uuid, p_before timestamptz, p_limit integer, p_grace interval)
    returns table (
        period_start   timestamptz,
        period_end     timestamptz,
        target_minutes integer,
        user_id        uuid,
        seconds_done   bigint,
        goal_met       boolean,
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
        select page.*,
               member_target_at(p_group_id, null, least(page.period_end, now()) - interval '1 microsecond') as target
          from page),
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
           e.user_id, e.seconds_done, e.goal_met,
           pr.period_end + p_grace <= now(),
           pr.period_start = pr.group_start
      from pr
      left join entries e on e.period_start = pr.period_start
     order by pr.period_start desc, e.seconds_done desc, e.user_id;
end;
$$;

comment on function group_history(uuid, timestamptz, integer, interval) is
    'A page of a group''s periods, newest first, with every member''s seconds and goal in each (the boards of group_board_at).';

-- ---------------------------------------------------------------------------
-- A person's own focus per local day
-- ---------------------------------------------------------------------------

-- A person's logs by time, for their stats: closed logs ending after a
-- range's start, read from the index alone.
create index time_logs_user_time_idx on time_logs (user_id, ended_at) include (started_at);

-- Seconds focused per local day of p_timezone from p_from to p_to (dates,
-- both included) across all of a person's sessions, the running segment up
-- to now included; a log across midnight splits between the two days.
create function focus_by_day(p_user uuid, p_from date, p_to date, p_timezone text)
    returns table (day date, seconds bigint)
    language sql stable
as $$
    with bounds as (   -- the range's local midnights, once: [k] starts day k (DST-correct)
        select array_agg(d at time zone p_timezone order by d) as b
          from generate_series(p_from::timestamp, (p_to + 1)::timestamp, interval '1 day') d),
    logs as (          -- closed logs by time_logs_user_time_idx (index only), the running segment to now
        select l.started_at, l.ended_at
          from bounds x
          join time_logs l on l.user_id = p_user and l.ended_at > x.b[1] and l.started_at < x.b[array_length(x.b, 1)]
        union all
        select l.started_at, now()
          from bounds x
          join time_logs l on l.user_id = p_user and l.ended_at is null and l.started_at < x.b[array_length(x.b, 1)]),
    parts as (         -- each log's part in each day it touches, the days found by binary search
        select k,
               extract(epoch from least(l.ended_at, x.b[k + 1]) - greatest(l.started_at, x.b[k])) as seconds
          from bounds x
          cross join logs l
          cross join lateral generate_series(greatest(width_bucket(l.started_at, x.b), 1),
                                             least(width_bucket(l.ended_at, x.b), array_length(x.b, 1) - 1)) k)
    select p_from + (n - 1), floor(coalesce(sum(greatest(parts.seconds, 0)), 0))::bigint
      from generate_series(1, p_to - p_from + 1) n
      left join parts on parts.k = n
     group by n
     order by n
$$;

comment on function focus_by_day(uuid, date, date, text) is
    'A person''s focused seconds per local day of a time zone (every session, the running segment up to now).';

-- The run of days with focus in flags ordered newest first ([1] today): from
-- today, or from yesterday while today has none yet (a run is not broken until
-- the day ends). Null when the run reaches the last flag: it may go on before.
create function focus_run(p_newest_first boolean[])
    returns integer
    language plpgsql immutable
as $$
declare
    v_run integer := 0;
begin
    for i in case when p_newest_first[1] then 1 else 2 end .. coalesce(array_length(p_newest_first, 1), 0) loop
        if not p_newest_first[i] then
            return v_run;
        end if;
        v_run := v_run + 1;
    end loop;
    return null;
end;
$$;

-- The days in a row on which a person focused at all, in p_timezone, ending
-- on p_today, or on the day before while p_today has no focus yet. Looks back
-- 64 days, and further only while the run reaches that far.
create function focus_streak_days(p_user uuid, p_today date, p_timezone text)
    returns integer
    language plpgsql stable
as $$
declare
    v_window integer := 64;
    v_run integer;
begin
    loop
        select focus_run(array_agg(f.seconds > 0 order by f.day desc)) into v_run
          from focus_by_day(p_user, p_today - v_window + 1, p_today, p_timezone) f;
        exit when v_run is not null or v_window >= 4096;
        v_window := v_window * 4;
    end loop;
    return coalesce(v_run, v_window);
end;
$$;

comment on function focus_streak_days(uuid, date, text) is
    'The run of local days with any focus ending today (or yesterday while today has none yet).';

-- GET /api/me/stats in one statement: the range (at most 366 days) and zone
-- checked (LI422 on to or timezone), the days of focus_by_day, and the
-- current run of days (taken from those days when they reach today and the
-- run ends inside them, else from focus_streak_days).
create function focus_stats(p_user uuid, p_from date, p_to date, p_timezone text)
    returns table (day date, seconds bigint, streak_days integer)
    language plpgsql stable
as $$
declare
    v_today date;
    v_days date[];
    v_seconds bigint[];
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
    select array_agg(f.day order by f.day), array_agg(f.seconds order by f.day)
      into v_days, v_seconds
      from focus_by_day(p_user, p_from, p_to, p_timezone) f;
    if v_today between p_from and p_to then
        select focus_run(array_agg(v_seconds[i] > 0 order by i desc)) into v_streak
          from generate_series(1, v_today - p_from + 1) i;
    end if;
    if v_streak is null then
        v_streak := focus_streak_days(p_user, v_today, p_timezone);
    end if;
    return query select x.d, x.s, v_streak from unnest(v_days, v_seconds) as x(d, s);
end;
$$;

comment on function focus_stats(uuid, date, date, text) is
    'A person''s focused seconds per local day over a range, and their current run of days with focus.';

