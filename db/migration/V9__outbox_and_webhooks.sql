-- Reaching people outside the app, part two (issue 27, DOMAIN.md "Reaching
-- people outside the app"): group webhooks and the outbox that carries
-- pushes and webhook events out of the database. The rules that write and
-- deliver the items live in R__19_outbox.sql.

-- The group's owner learns that a webhook was turned off after 24 hours of
-- failures.
alter type notification_kind add value if not exists 'webhook_disabled';

-- A group's webhook (POST /api/groups/{id}/webhooks). The secret signs
-- every delivery (Standard Webhooks: whsec_ + base64 of 32 random bytes);
-- after a rotation the one before still signs until previous_secret_until,
-- so a receiver can switch without losing a delivery.
create table webhooks (
    id                    uuid primary key,
    group_id              uuid not null references groups (id) on delete cascade,
    url                   text not null,
    events                text[] not null,
    format                text not null default 'standard',
    enabled               boolean not null default true,
    secret                text not null,
    previous_secret       text,
    previous_secret_until timestamptz,
    created_by            uuid references profiles (id) on delete set null,
    created_at            timestamptz not null default now(),
    -- the first failure since the last delivery: 24 hours of failures turn the webhook off
    failing_since         timestamptz,
    disabled_at           timestamptz,
    constraint webhooks_url_https check (url ~ '^https://[^\s/?#@]+' and char_length(url) <= 2048),
    constraint webhooks_format_known check (format in ('standard', 'slack', 'discord')),
    constraint webhooks_events_known check (
        cardinality(events) between 1 and 7
        and events <@ array['milestone_member', 'milestone_group', 'member_joined', 'member_left',
                            'session_started', 'period_closed', 'ping']::text[]),
    constraint webhooks_previous_secret_whole check ((previous_secret is null) = (previous_secret_until is null)),
    constraint webhooks_disabled_when_off check (enabled or disabled_at is not null)
);
comment on table webhooks is
    'A group''s webhooks (POST /api/groups/{id}/webhooks): at most 10 a group; the secret is shown once.';
comment on constraint webhooks_url_https on webhooks is 'url: must be an https URL of at most 2048 characters';
comment on constraint webhooks_format_known on webhooks is 'format: must be one of [standard, slack, discord]';
comment on constraint webhooks_events_known on webhooks is
    'events: must name 1 to 7 of milestone_member, milestone_group, member_joined, member_left, session_started, period_closed, ping';
create index webhooks_group_idx on webhooks (group_id, created_at);
-- erasure forgets who made a webhook
create index webhooks_created_by_idx on webhooks (created_by) where created_by is not null;

-- What is to be sent, written in the transaction that caused it: a push to
-- one device (channel apns/fcm) or an event to one webhook. Delivered by any
-- instance, each item by one at a time (a lease, taken with FOR UPDATE SKIP
-- LOCKED); a webhook's items in order (seq). An item is kept after it is
-- delivered or dead: a webhook's last 100 can be read, and every other is
-- purged a week after it ended.
create table outbox (
    id              uuid primary key default gen_random_uuid(),
    seq             bigint generated always as identity,
    channel         text not null,
    device_id       uuid references devices (id) on delete cascade,
    webhook_id      uuid references webhooks (id) on delete cascade,
    event           text not null,
    -- one item per event and webhook (a milestone reached again, a period summarised by two instances)
    event_key       text,
    payload         jsonb not null,
    -- the person the item is about or for: erasure deletes what names them
    subject_id      uuid references profiles (id) on delete cascade,
    status          text not null default 'pending',
    attempts        integer not null default 0,
    created_at      timestamptz not null default now(),
    next_attempt_at timestamptz not null default now(),
    leased_until    timestamptz,
    -- the instance that has it (pid@host, as in pg_stat_activity's application_name): for operators
    leased_by       text,
    last_attempt_at timestamptz,
    last_status_code integer,
    last_error      text,
    ended_at        timestamptz,
    constraint outbox_channel_known check (channel in ('apns', 'fcm', 'webhook')),
    constraint outbox_one_target check (
        case channel when 'webhook' then webhook_id is not null and device_id is null
                     else device_id is not null and webhook_id is null end),
    constraint outbox_status_known check (status in ('pending', 'delivered', 'dead', 'skipped')),
    constraint outbox_ended_when_over check ((status = 'pending') = (ended_at is null)),
    constraint outbox_event_once unique (webhook_id, event_key)
);
comment on table outbox is
    'Pushes and webhook events to send, written with their cause and delivered by any instance (R__19_outbox.sql).';
-- what is due: the claim's scan
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
-- a webhook's deliveries newest first, and the order of its pending items
create index outbox_webhook_idx on outbox (webhook_id, seq) where webhook_id is not null;
-- a webhook's items in order: the claim takes one only when none before it is pending
create index outbox_webhook_pending_idx on outbox (webhook_id, seq) where status = 'pending' and webhook_id is not null;
create index outbox_device_idx on outbox (device_id) where device_id is not null;
create index outbox_subject_idx on outbox (subject_id) where subject_id is not null;
create index outbox_ended_idx on outbox (ended_at) where ended_at is not null;

-- Presence pushes: at most one a person and group per 10 minutes.
create table presence_pushes (
    user_id   uuid not null references profiles (id) on delete cascade,
    group_id  uuid not null references groups (id) on delete cascade,
    pushed_at timestamptz not null,
    primary key (user_id, group_id)
);
comment on table presence_pushes is
    'When a person was last pushed "someone in your group started focusing" for a group (at most once per 10 minutes).';
create index presence_pushes_group_idx on presence_pushes (group_id);
