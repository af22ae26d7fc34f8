-- Moderation (DOMAIN.md "Fair play"): the owner and admins of a group may
-- void a member's log in one of the group's sessions, with a reason; the log
-- stays in the person's record but counts nowhere in the group. Voiding can
-- be undone. The person is told (log_voided).
alter type notification_kind add value if not exists 'log_voided';

alter table time_logs
    add column voided_at   timestamptz,
    add column voided_by   uuid references profiles (id) on delete set null,
    add column void_reason text,
    add constraint time_logs_void_reason_length check (void_reason is null or char_length(void_reason) between 1 and 200),
    add constraint time_logs_voided_with_reason check ((voided_at is null) = (void_reason is null)),
    add constraint time_logs_voided_when_closed check (voided_at is null or ended_at is not null);

comment on column time_logs.voided_at is 'When the group''s owner or an admin voided it (null: it counts for the group).';
comment on constraint time_logs_void_reason_length on time_logs is 'reason: must have 1 to 200 characters';
comment on constraint time_logs_voided_with_reason on time_logs is 'reason: must be given when a log is voided, and only then';
comment on constraint time_logs_voided_when_closed on time_logs is 'voided_at: must be set on a closed log only (pause the session first)';
