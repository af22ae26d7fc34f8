-- Totals and targets: per group, member and period, the seconds of closed
-- logs, whether they met the target in force, and the runs of met periods
-- (streaks); and every target a group or a member's override had.
--
-- Neither a board nor a streak may scan a member's whole history on each
-- read, so the database keeps member_period_totals and target_history in the
-- same transaction as the logs and targets that change them. A target
-- changed today applies from the current period on; final periods keep
-- theirs. The open segment of a running session is not in the totals: a
-- board adds it (R__08_boards.sql). A voided log counts nowhere in the group
-- (R__16_moderation.sql): voiding takes it out of the totals, restoring puts
-- it back, like any change of a log. Declared time (logs of source device
-- or manual) counts when the group's declared_time setting in force at the
-- period's end says so (declared_counts): the totals keep the counted seconds
-- and, of them, the declared ones (seconds_declared).

-- The target of a member (p_user) or of the group (p_user null) in force at p_at.
create or replace function member_target_at(p_group uuid, p_user uuid, p_at timestamptz)
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

-- Whether declared time counts in a group's period ending at p_period_end:
-- the setting in force then (the current one for a period still running);
-- a group that never changed it counts it.
create or replace function declared_counts(p_group uuid, p_period_end timestamptz)
    returns boolean
    language sql stable
as $$
    select coalesce((select h.declared_time = 'counted' from declared_time_history h
                      where h.group_id = p_group and h.since < p_period_end
                      order by h.since desc, h.id desc limit 1), true)
$$;

-- A new declared_time setting applies from the current period on: recorded
-- with its moment, and the totals from the current period on counted again.
-- A group made with declared time not counted (a copy) has it from the start.
create or replace function groups_keep_declared_time_history() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        if new.declared_time <> 'counted' then
            insert into declared_time_history (group_id, since, declared_time)
            values (new.id, '-infinity', new.declared_time);
        end if;
        return null;
    end if;
    insert into declared_time_history (group_id, since, declared_time)
    values (new.id, now(), new.declared_time);
    perform rebuild_member_period_totals(new.id,
        (group_period_bounds(new.period, new.timezone, new.start_at, new.end_at, now())).period_start);
    return null;
end;
$$;

drop trigger if exists groups_keep_declared_time_history on groups;
create trigger groups_keep_declared_time_history after insert on groups
    for each row execute function groups_keep_declared_time_history();

drop trigger if exists groups_keep_declared_time_history_on_change on groups;
create trigger groups_keep_declared_time_history_on_change after update of declared_time on groups
    for each row when (new.declared_time is distinct from old.declared_time)
    execute function groups_keep_declared_time_history();

-- A new target applies from the current period on: recorded with its moment,
-- and the current period's goal judged again.
create or replace function groups_keep_target_history() returns trigger
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

drop trigger if exists groups_keep_target_history on groups;
create trigger groups_keep_target_history after insert or update on groups
    for each row execute function groups_keep_target_history();

-- A member's override, likewise: from the current period on; a member who
-- leaves keeps their past.
create or replace function group_members_keep_target_history() returns trigger
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

drop trigger if exists group_members_keep_target_history on group_members;
create trigger group_members_keep_target_history
    after insert or delete or update of override_period_target_minutes on group_members
    for each row execute function group_members_keep_target_history();

-- Recomputes met, prior_run, run and best of the rows of a group (one
-- member, or all when p_user is null) from the period starting at p_from on,
-- continuing the run of the row before it. The rows are locked first and read
-- as they are then, so two transactions changing one member's periods end
-- with the runs of their combined seconds.
create or replace function refresh_member_runs(p_group uuid, p_user uuid, p_from timestamptz)
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

-- Every closed log not voided counts, in the same transaction: once per statement,
-- however many logs it writes (a pause closes one per participant, the
-- archival many), so a bulk load costs one pass: the statement's logs are
-- added (and those it changed or removed taken back) per member and period,
-- then each member's runs are renewed once from the earliest period touched.
-- Named to run before the statement's other triggers (milestones, goal
-- checks), which read the totals.
create or replace function time_logs_count_in_totals() returns trigger
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
                                            'started_at', l.started_at, 'ended_at', l.ended_at,
                                            'declared', l.source <> 'clock', 'sign', 1))
          into v_changed
          from new_logs l where l.group_id is not null and l.ended_at is not null and l.voided_at is null;
    elsif tg_op = 'UPDATE' then
        select jsonb_agg(jsonb_build_object('group_id', x.group_id, 'user_id', x.user_id,
                                            'started_at', x.started_at, 'ended_at', x.ended_at,
                                            'declared', x.source <> 'clock', 'sign', x.sign))
          into v_changed
          from (select l.group_id, l.user_id, l.started_at, l.ended_at, l.source, 1 as sign
                  from new_logs l where l.group_id is not null and l.ended_at is not null and l.voided_at is null
                union all
                select l.group_id, l.user_id, l.started_at, l.ended_at, l.source, -1
                  from old_logs l where l.group_id is not null and l.ended_at is not null and l.voided_at is null) x;
    else
        select jsonb_agg(jsonb_build_object('group_id', l.group_id, 'user_id', l.user_id,
                                            'started_at', l.started_at, 'ended_at', l.ended_at,
                                            'declared', l.source <> 'clock', 'sign', -1))
          into v_changed
          from old_logs l where l.group_id is not null and l.ended_at is not null and l.voided_at is null;
    end if;
    if v_changed is null then
        return null;
    end if;

    with changed as (
        select * from jsonb_to_recordset(v_changed)
                   as c(group_id uuid, user_id uuid, started_at timestamptz, ended_at timestamptz,
                        declared boolean, sign integer)),
    deltas as (   -- declared time only where the group counts it in that period
        select c.group_id, c.user_id, p.period_start, p.period_end,
               sum(c.sign * x.seconds) as seconds,
               coalesce(sum(c.sign * x.seconds) filter (where c.declared), 0) as seconds_declared
          from changed c
          join groups g on g.id = c.group_id
         cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, c.started_at, c.ended_at) p
         cross join lateral (select extract(epoch from least(c.ended_at, p.period_end)
                                                       - greatest(c.started_at, p.period_start)) as seconds) x
         where not c.declared or declared_counts(c.group_id, p.period_end)
         group by c.group_id, c.user_id, p.period_start, p.period_end),
    counted as (
        insert into member_period_totals as t (group_id, user_id, period_start, period_end, seconds, seconds_declared)
        select d.group_id, d.user_id, d.period_start, d.period_end, d.seconds, d.seconds_declared
          from deltas d
         where d.seconds <> 0 or d.seconds_declared <> 0
         order by d.group_id, d.user_id, d.period_start
        on conflict (group_id, user_id, period_start) do update
            set seconds = t.seconds + excluded.seconds, seconds_declared = t.seconds_declared + excluded.seconds_declared
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
drop trigger if exists time_logs_count_in_totals on time_logs;
create trigger time_logs_count_in_totals after insert on time_logs
    referencing new table as new_logs
    for each statement execute function time_logs_count_in_totals();

drop trigger if exists time_logs_count_in_totals_on_change on time_logs;
create trigger time_logs_count_in_totals_on_change after update on time_logs
    referencing old table as old_logs new table as new_logs
    for each statement execute function time_logs_count_in_totals();

drop trigger if exists time_logs_count_in_totals_on_delete on time_logs;
create trigger time_logs_count_in_totals_on_delete after delete on time_logs
    referencing old table as old_logs
    for each statement execute function time_logs_count_in_totals();

-- Rebuilds a group's totals from the period starting at p_from on (every
-- period with '-infinity'): after its window, zone or period kind changed,
-- and to fill the table for data written without triggers.
create or replace function rebuild_member_period_totals(p_group uuid, p_from timestamptz)
    returns void
    language plpgsql
as $$
begin
    delete from member_period_totals where group_id = p_group and period_start >= p_from;
    insert into member_period_totals (group_id, user_id, period_start, period_end, seconds, seconds_declared)
    select l.group_id, l.user_id, p.period_start, p.period_end, sum(x.seconds),
           coalesce(sum(x.seconds) filter (where l.source <> 'clock'), 0)
      from time_logs l
      join groups g on g.id = l.group_id
     cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at,
                                      greatest(l.started_at, p_from), l.ended_at) p
     cross join lateral (select extract(epoch from least(l.ended_at, p.period_end)
                                                   - greatest(l.started_at, p.period_start)) as seconds) x
     where l.group_id = p_group and l.ended_at is not null and l.ended_at > p_from and l.voided_at is null
       and (l.source = 'clock' or declared_counts(p_group, p.period_end))
     group by l.group_id, l.user_id, p.period_start, p.period_end
    having sum(x.seconds) > 0;
    perform refresh_member_runs(p_group, null, p_from);
end;
$$;
