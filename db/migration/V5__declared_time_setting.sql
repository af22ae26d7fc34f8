-- The group decides what counts (DOMAIN.md "Fair play"): declared time (logs
-- of source `device` or `manual`) counts on the group's boards, history,
-- goals, milestones and streaks when its setting is `counted` (the default),
-- and stays in the person's own record only when `not_counted`. A change
-- applies from the current period on: each period follows the setting in
-- force at its end (declared_time_history), so final periods keep what they
-- showed (R__07_totals.sql).
create type declared_time as enum ('counted', 'not_counted');

alter table groups add column declared_time declared_time not null default 'counted';
comment on column groups.declared_time is
    'Whether declared time (device-dated and manual logs) counts for the group: counted or not_counted.';

create table declared_time_history (
    id            bigint generated always as identity primary key,
    group_id      uuid not null references groups (id) on delete cascade,
    since         timestamptz not null,
    declared_time declared_time not null
);
create index declared_time_history_lookup_idx on declared_time_history (group_id, since desc, id desc)
    include (declared_time);
comment on table declared_time_history is
    'Every declared_time setting a group had, from when (a group without a row counts declared time).';

-- Per member and period, the part of the counted seconds that is declared.
alter table member_period_totals add column seconds_declared numeric not null default 0;
alter table member_period_totals drop constraint member_period_totals_pkey,
    add primary key (group_id, user_id, period_start) include (period_end, seconds, seconds_declared, prior_run, run, best);
drop index member_period_totals_group_period_idx;
create index member_period_totals_group_period_idx on member_period_totals (group_id, period_start)
    include (user_id, seconds, seconds_declared, met);

-- The existing totals from the logs as they are (every group counts declared
-- time today). On a new database there are none, and the periods' functions
-- (repeatable migrations, run after this one) do not exist yet.
do $$
begin
    if exists (select 1 from time_logs where group_id is not null and source <> 'clock' and ended_at is not null) then
        execute $sql$
            update member_period_totals t
               set seconds_declared = d.seconds
              from (select l.group_id, l.user_id, p.period_start,
                           sum(extract(epoch from least(l.ended_at, p.period_end) - greatest(l.started_at, p.period_start))) as seconds
                      from time_logs l
                      join groups g on g.id = l.group_id
                     cross join lateral group_periods(g.period, g.timezone, g.start_at, g.end_at, l.started_at, l.ended_at) p
                     where l.ended_at is not null and l.voided_at is null and l.source <> 'clock'
                     group by l.group_id, l.user_id, p.period_start) d
             where t.group_id = d.group_id and t.user_id = d.user_id and t.period_start = d.period_start
        $sql$;
    end if;
end;
$$;

-- A board's open segment says how it was dated, read with the segment from the index.
drop index time_logs_group_period_idx;
create index time_logs_group_period_idx on time_logs (group_id, user_id, ended_at) include (started_at, source)
    where group_id is not null;

-- Sealed boards carry the declared part of each entry: the sealed ones are
-- forgotten and sealed again on the next history read.
delete from period_boards;
alter table period_boards add column seconds_declared bigint[] not null,
    drop constraint period_boards_check,
    add constraint period_boards_check check (cardinality(user_ids) = cardinality(seconds_done)
                                              and cardinality(user_ids) = cardinality(goals_met)
                                              and cardinality(user_ids) = cardinality(seconds_declared));
