-- Clocked and declared time (DOMAIN.md "Fair play"): a log made by a clock
-- action the device dated further back than 60 s is `device`, declared
-- like a `manual` one. Existing logs keep `clock` and `manual`.
alter type time_log_source add value if not exists 'device' after 'clock';

-- How the session's latest transition was dated: `clock` (the server's now,
-- or a device time within 60 s of it, or the runaway cap) or `device`; the
-- logs it opens and closes take it (R__06_timeline.sql).
alter table sessions
    add column transition_source time_log_source not null default 'clock',
    add constraint sessions_transition_source_not_manual check (transition_source <> 'manual');
comment on column sessions.transition_source is
    'How the latest transition was dated: clock (server time, within 60 s of it, or the runaway cap) or device.';
comment on constraint sessions_transition_source_not_manual on sessions is
    'transition_source: must be clock or device';

-- An open segment is a clock action's, server- or device-dated.
alter table time_logs
    drop constraint time_logs_open_only_by_clock,
    add constraint time_logs_open_only_by_clock check (ended_at is not null or source <> 'manual');
comment on constraint time_logs_open_only_by_clock on time_logs is
    'ended_at: must be set for a manual log (only a clock action leaves a log open)';
