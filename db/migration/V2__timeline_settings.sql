-- The timeline's limits that the database enforces, as the deployment
-- configures them: one row, written by the application at each start
-- (LOCKIN_MAX_SEGMENT), read by the runaway cap (R__06_timeline.sql).
create table timeline_settings (
    only_row    boolean primary key default true,
    max_segment interval not null default interval '12 hours',
    constraint timeline_settings_one_row check (only_row),
    constraint timeline_settings_max_segment_positive check (max_segment > interval '0')
);
comment on table timeline_settings is 'The timeline''s limits as configured (one row, written at each start).';
comment on constraint timeline_settings_one_row on timeline_settings is 'only_row: must be true (the settings are one row)';
comment on constraint timeline_settings_max_segment_positive on timeline_settings is 'max_segment: must be positive';

insert into timeline_settings default values;
