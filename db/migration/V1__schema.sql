-- LockIN's data structure: the whole data model of DOMAIN.md.
--
-- This baseline holds structure only: extensions, types, tables, columns,
-- constraints, indexes, and the one function a check constraint calls.
-- Every other function, every trigger and the progress view are code, kept
-- in the repeatable migrations R__NN_<concern>.sql, one file per concern,
-- which Flyway applies after the versioned ones (in the order of NN) and
-- again whenever a file changes. A later versioned migration (V2__...) adds
-- or changes structure and moves data; the only function body it may hold
-- is one a constraint calls.
--
-- Errors raised on purpose carry SQLSTATEs of the class "LI" with a message
-- fit to show to a user: LI404 not found, LI409 state conflict, LI410 gone
-- (a join link of an archived group), LI422 invalid value. The application maps them to HTTP answers without adding
-- its own text.
--
-- How a refusal reads to a client is said here too, beside the rule: the
-- comment of a check constraint is "<field>: <what the value must be>" (the
-- request's field and a 422's message), the comment of a unique constraint
-- or index what a duplicate means (a 409's message). The application reads
-- them at start (ConstraintTexts) and adds no wording of its own.

create extension if not exists pgcrypto;
create extension if not exists citext;
create extension if not exists btree_gist;

-- ---------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------

create type group_period as enum ('daily', 'weekly');
create type group_status as enum ('pending', 'active', 'archived');
create type member_role as enum ('owner', 'admin', 'member');
create type session_status as enum ('scheduled', 'running', 'paused', 'ended', 'cancelled');
create type participant_role as enum ('host', 'participant');
create type time_log_source as enum ('clock', 'manual');
create type notification_kind as enum ('group_invite', 'milestone_member', 'milestone_group', 'session_reminder', 'generic',
                                       'session_autopaused');
create type notification_status as enum ('pending', 'accepted', 'declined', 'read');

-- True when the name is a time zone PostgreSQL knows (IANA names such as
-- 'Europe/Paris'). The application also checks the name against Java's
-- zone database; this guards every other writer. It stands here, not in a
-- repeatable migration, because the check groups_timezone_valid calls it:
-- the table cannot exist before it.
create function is_valid_time_zone(tz text) returns boolean
    language plpgsql immutable strict
as $$
begin
    perform now() at time zone tz;
    return true;
exception when invalid_parameter_value then
    return false;
end;
$$;

-- ---------------------------------------------------------------------------
-- People
-- ---------------------------------------------------------------------------

create table profiles (
    id           uuid primary key default gen_random_uuid(),
    email        citext unique,
    display_name text not null,
    avatar_url   text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint profiles_display_name_length
        check (char_length(display_name) between 1 and 50 and display_name = btrim(display_name)),
    constraint profiles_avatar_url_length check (char_length(avatar_url) <= 2048)
);

comment on constraint profiles_display_name_length on profiles is 'display_name: must have 1 to 50 characters after trimming';
comment on constraint profiles_avatar_url_length on profiles is 'avatar_url: must have at most 2048 characters';

create table auth_identities (
    id         uuid primary key default gen_random_uuid(),
    provider   text not null,
    subject    text not null,
    -- deferred, so that provisioning can claim the identity first and
    -- create the profile after it (see provision_profile)
    profile_id uuid not null references profiles (id) on delete cascade deferrable initially deferred,
    created_at timestamptz not null default now(),
    constraint auth_identities_provider_subject_key unique (provider, subject)
);

create index auth_identities_profile_idx on auth_identities (profile_id);

-- ---------------------------------------------------------------------------
-- Groups and members
-- ---------------------------------------------------------------------------

create table groups (
    id                    uuid primary key default gen_random_uuid(),
    owner_id              uuid not null references profiles (id),
    name                  text not null,
    description           text,
    start_at              timestamptz not null default now(),
    end_at                timestamptz not null,
    timezone              text not null default 'UTC',
    period                group_period not null default 'daily',
    period_target_minutes integer not null,
    status                group_status not null default 'active',
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    constraint groups_name_length check (char_length(name) between 1 and 100),
    constraint groups_description_length check (char_length(description) <= 1000),
    constraint groups_end_after_start check (end_at > start_at),
    constraint groups_at_most_366_days check (end_at <= start_at + interval '366 days'),
    constraint groups_timezone_valid check (is_valid_time_zone(timezone)),
    constraint groups_target_positive check (period_target_minutes > 0),
    constraint groups_target_fits_period
        check (period_target_minutes <= case period when 'daily' then 1440 else 10080 end)
);

comment on constraint groups_name_length on groups is 'name: must have 1 to 100 characters after trimming';
comment on constraint groups_description_length on groups is 'description: must have at most 1000 characters';
comment on constraint groups_end_after_start on groups is 'end_at: must be after start_at';
comment on constraint groups_at_most_366_days on groups is 'end_at: must be at most 366 days after start_at';
comment on constraint groups_timezone_valid on groups is 'timezone: must be an IANA time zone such as Europe/Paris or UTC';
comment on constraint groups_target_positive on groups is 'period_target_minutes: must be between 1 and 1440 for a daily group, 1 and 10080 for a weekly one';
comment on constraint groups_target_fits_period on groups is 'period_target_minutes: must be between 1 and 1440 for a daily group, 1 and 10080 for a weekly one';

create index groups_owner_idx on groups (owner_id);
-- the archival job's two scans
create index groups_due_for_archive_idx on groups (end_at) where status <> 'archived';
create index groups_due_for_start_idx on groups (start_at) where status = 'pending';

create table group_members (
    id                             uuid primary key default gen_random_uuid(),
    group_id                       uuid not null references groups (id) on delete cascade,
    user_id                        uuid not null references profiles (id) on delete cascade,
    role                           member_role not null default 'member',
    override_period_target_minutes integer,
    created_at                     timestamptz not null default now(),
    hidden_from_leaderboard        boolean not null default false,
    constraint group_members_group_user_key unique (group_id, user_id),
    constraint group_members_override_positive
        check (override_period_target_minutes is null or override_period_target_minutes > 0),
    -- at most one owner; deferred so that a transfer can promote before it demotes
    constraint group_members_one_owner
        exclude (group_id with =) where (role = 'owner') deferrable initially deferred
);

create index group_members_user_idx on group_members (user_id, created_at desc);

comment on constraint group_members_override_positive on group_members is
    'override_period_target_minutes: must be positive, or null for the group''s target';
comment on constraint group_members_group_user_key on group_members is 'This person is already a member of the group.';

comment on column group_members.hidden_from_leaderboard is
    'The member hides their identity on the group''s leaderboard from other plain members (set by themself).';

-- Every target a group had and every override of a member, since when, so
-- that a past period keeps the target it had (kept by triggers).
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

-- Join links: owners and admins invite anyone holding the link, until it
-- expires, is used up or revoked, or its group is archived. Its code carries
-- at least 128 random bits (the application makes 192: 32 base64url
-- characters). The uses are counted under the link's row lock, so max_uses
-- holds exactly however many people race for the last use; the constraint
-- keeps it whatever writes.
create table join_links (
    id          uuid primary key default gen_random_uuid(),
    group_id    uuid not null references groups (id) on delete cascade,
    code        text not null unique check (code ~ '^[A-Za-z0-9_-]{22,}$'),
    created_by  uuid references profiles (id) on delete set null,
    expires_at  timestamptz not null,
    max_uses    integer check (max_uses between 1 and 1000),
    uses        integer not null default 0 check (uses >= 0),
    revoked_at  timestamptz,
    created_at  timestamptz not null default now(),
    constraint join_links_uses_within_max check (max_uses is null or uses <= max_uses),
    constraint join_links_expire_after_creation check (expires_at > created_at),
    constraint join_links_last_at_most_90_days check (expires_at <= created_at + interval '90 days')
);

create index join_links_group_idx on join_links (group_id, created_at desc);

comment on constraint join_links_expire_after_creation on join_links is 'expires_at: must be in the future';
comment on constraint join_links_last_at_most_90_days on join_links is 'expires_at: must be at most 90 days away';

comment on table join_links is
    'Links that add whoever uses them to a group as a member: until expires_at, at most max_uses times, unless revoked.';

-- Invites by email to an address that has no account yet. An invite by
-- email answers the same whether the address has an account or not (no
-- enumeration of addresses): without one, the invite waits here, under the
-- id its notification will have, and becomes that notification in the inbox
-- of the profile that signs up with this (verified) address.
create table email_invites (
    id         uuid primary key,              -- the id of the notification it becomes
    group_id   uuid not null references groups (id) on delete cascade,
    email      citext not null check (char_length(email) between 3 and 320),
    actor_id   uuid references profiles (id) on delete set null,
    title      text not null check (char_length(title) between 1 and 200),
    body       text,
    created_at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
    constraint email_invites_one_per_group_and_email unique (group_id, email)
);

create index email_invites_email_idx on email_invites (email);

comment on constraint email_invites_email_check on email_invites is 'email: must be an email address of at most 320 characters';
comment on constraint email_invites_one_per_group_and_email on email_invites is 'This address already has a pending invite to the group.';

comment on table email_invites is
    'Invites by email waiting for an account with that address; each becomes a group_invite notification at sign-up.';

-- ---------------------------------------------------------------------------
-- Sessions, participants, time logs
-- ---------------------------------------------------------------------------

create table sessions (
    id                 uuid primary key default gen_random_uuid(),
    group_id           uuid references groups (id) on delete set null,
    creator_id         uuid not null references profiles (id),
    status             session_status not null default 'scheduled',
    started_at         timestamptz,
    ended_at           timestamptz,
    segment_started_at timestamptz,
    -- milliseconds, as the API shows them: (created_at, id) of an item is an
    -- exact keyset cursor
    created_at         timestamptz not null default date_trunc('milliseconds', now()),
    -- when the session last changed state (created, started, paused,
    -- resumed, stopped): a device time for the next change may not be earlier
    transitioned_at    timestamptz not null default now(),
    constraint sessions_end_after_start check (ended_at >= started_at),
    constraint sessions_segment_while_running check ((status = 'running') = (segment_started_at is not null)),
    constraint sessions_segment_after_start check (segment_started_at >= started_at),
    constraint sessions_started_when_begun
        check (status in ('scheduled', 'cancelled') or started_at is not null),
    constraint sessions_ended_when_over check ((status in ('ended', 'cancelled')) = (ended_at is not null)),
    constraint sessions_not_started_when_cancelled check (status <> 'cancelled' or started_at is null),
    constraint sessions_transition_after_start check (transitioned_at >= started_at)
);

create index sessions_group_idx on sessions (group_id, created_at desc);
create index sessions_running_idx on sessions (group_id) where status = 'running';
create index sessions_creator_idx on sessions (creator_id, created_at desc);

-- A participant is in a session from joined_at until left_at (null: still in
-- it); joining again sets a new joined_at.
create table session_participants (
    id         uuid primary key default gen_random_uuid(),
    session_id uuid not null references sessions (id) on delete cascade,
    user_id    uuid not null references profiles (id) on delete cascade,
    role       participant_role not null default 'participant',
    joined_at  timestamptz not null default now(),
    left_at    timestamptz,
    constraint session_participants_session_user_key unique (session_id, user_id),
    -- target of time_logs' composite key, so a log's user_id is its participant's
    constraint session_participants_id_user_key unique (id, user_id)
);

create index session_participants_user_idx on session_participants (user_id);
create index sessions_participant_idx on session_participants (user_id, session_id);

comment on column session_participants.left_at is
    'When the participant left the session (null: in it); a new joined_at when they join again.';

-- A person's timeline. The open segment of a running session is a time log
-- too: one row per participant without an end (tstzrange(started_at, null)
-- reaches to infinity), written when the segment opens and closed when it
-- does. The exclusion constraint time_logs_no_overlap then keeps, for every
-- writer:
--   * one place at a time: a second open segment of the same person always
--     overlaps the first;
--   * nothing counted twice: a manual log over a running segment overlaps it;
--   * never stuck: closing an open log only shrinks its range, so pause and
--     stop can never collide with anything written meanwhile.
create table time_logs (
    id             uuid primary key default gen_random_uuid(),
    participant_id uuid not null,
    user_id        uuid not null,
    -- copied from the session (set by trigger): lets the leaderboard read
    -- one group's logs of a period with one index range scan
    group_id       uuid references groups (id) on delete set null,
    started_at     timestamptz not null,
    ended_at       timestamptz,                 -- null: the open segment of a running session
    source         time_log_source not null,
    created_at     timestamptz not null default now(),
    -- the transaction that last wrote the log (inserted it, or closed its
    -- segment). A delta-sync reader is given only logs of transactions older
    -- than its snapshot's xmin, which have all ended: one that commits later,
    -- even with earlier timestamps, has a larger id than any the reader was
    -- given, so a cursor (written_xid, id) never skips it.
    written_xid    xid8 not null default pg_current_xact_id(),
    constraint time_logs_participant_fkey foreign key (participant_id, user_id)
        references session_participants (id, user_id) on delete cascade,
    constraint time_logs_end_after_start check (ended_at > started_at),
    constraint time_logs_manual_at_most_24h
        check (source <> 'manual' or ended_at - started_at <= interval '24 hours'),
    constraint time_logs_open_only_by_clock check (ended_at is not null or source = 'clock'),
    -- no two logs of one person overlap, in any session; [start, end) so
    -- logs that only touch do not overlap
    constraint time_logs_no_overlap
        exclude using gist (user_id with =, tstzrange(started_at, ended_at) with &&)
);

create index time_logs_participant_idx on time_logs (participant_id, started_at);
create index time_logs_group_period_idx on time_logs (group_id, user_id, ended_at) include (started_at)
    where group_id is not null;
-- at most one open segment per person (the exclusion constraint implies it;
-- this index also finds a person's running session at once)
create unique index time_logs_one_open_segment on time_logs (user_id) include (participant_id) where ended_at is null;
-- delta sync of a person's closed logs (GET /api/me/time-logs?since=)
create index time_logs_sync_idx on time_logs (user_id, written_xid, id) where ended_at is not null;
-- a person's closed logs ending after a range's start, for their stats,
-- read from the index alone
create index time_logs_user_time_idx on time_logs (user_id, ended_at) include (started_at);

comment on constraint time_logs_end_after_start on time_logs is 'ended_at: must be after started_at';
comment on constraint time_logs_manual_at_most_24h on time_logs is 'ended_at: must be at most 24 hours after started_at for a manual log';

-- ---------------------------------------------------------------------------
-- Progress: per member and period, and the boards of final periods
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
    -- the key's index carries the columns a board reads, so a board's
    -- lookup of a member's newest row is index-only where pages are
    -- all-visible (and writes still maintain two indexes)
    primary key (group_id, user_id, period_start) include (period_end, seconds, prior_run, run, best)
);

-- a history page reads its periods' rows of every member in one range
create index member_period_totals_group_period_idx on member_period_totals (group_id, period_start)
    include (user_id, seconds, met);

comment on table member_period_totals is
    'Per group, member and period: seconds of closed logs, goal met, the run of met periods ending there (kept by triggers).';

-- The boards of a group's final periods as group_history computed them:
-- always a run from the group's first period (the oldest) to some period,
-- so every period after the newest sealed one is computed and every one
-- before it is read (R__09_history.sql says when a sealed board is
-- forgotten).
create table period_boards (
    group_id       uuid not null references groups (id) on delete cascade,
    period_start   timestamptz not null,
    period_end     timestamptz not null,
    target_minutes integer not null,
    user_ids       uuid[] not null,      -- board order: seconds_done desc, user_id
    seconds_done   bigint[] not null,
    goals_met      boolean[] not null,
    is_first       boolean not null,
    primary key (group_id, period_start),
    check (cardinality(user_ids) = cardinality(seconds_done) and cardinality(user_ids) = cardinality(goals_met))
);

comment on table period_boards is
    'The boards of a group''s final periods as group_history computed them, a run from its first period; forgotten from a period on when anything that made them changes.';

-- ---------------------------------------------------------------------------
-- Notifications (the inbox; invites are notifications of kind group_invite)
-- ---------------------------------------------------------------------------

create table notifications (
    id           uuid primary key default gen_random_uuid(),
    recipient_id uuid not null references profiles (id) on delete cascade,
    actor_id     uuid references profiles (id) on delete set null,
    kind         notification_kind not null,
    status       notification_status not null default 'pending',
    title        text not null,
    body         text,
    group_id     uuid references groups (id) on delete cascade,
    -- milestones: whose goal was met, and in which period (one per period)
    subject_id   uuid references profiles (id) on delete cascade,
    period_start timestamptz,
    -- milliseconds, as the API shows them: a client's keyset cursor
    -- (cursor_created_at, cursor_id) taken from an item is then exact
    created_at   timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
    read_at      timestamptz,
    constraint notifications_title_length check (char_length(title) between 1 and 200),
    constraint notifications_invite_has_group check (kind <> 'group_invite' or group_id is not null),
    constraint notifications_answer_is_for_invites
        check (status not in ('accepted', 'declined') or kind = 'group_invite'),
    constraint notifications_milestone_has_period
        check (kind not in ('milestone_member', 'milestone_group') or (group_id is not null and period_start is not null)),
    constraint notifications_member_milestone_has_subject
        check (kind <> 'milestone_member' or subject_id is not null)
);

create index notifications_inbox_idx on notifications (recipient_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (recipient_id, created_at desc, id desc)
    where read_at is null;
create unique index notifications_one_pending_invite
    on notifications (group_id, recipient_id) where kind = 'group_invite' and status = 'pending';
create unique index notifications_one_member_milestone
    on notifications (recipient_id, group_id, period_start, subject_id) where kind = 'milestone_member';
create unique index notifications_one_group_milestone
    on notifications (recipient_id, group_id, period_start) where kind = 'milestone_group';

comment on index notifications_one_pending_invite is 'This person already has a pending invite to the group.';

-- When a running member's goal will be crossed (now + what is left), or the
-- period's end when that comes first: the moment instances wake to write
-- milestones (R__11_milestones.sql).
create table goal_checks (
    group_id uuid not null references groups (id) on delete cascade,
    user_id  uuid not null references profiles (id) on delete cascade,
    due_at   timestamptz not null,
    primary key (group_id, user_id)
);

create index goal_checks_due_idx on goal_checks (due_at);

comment on table goal_checks is
    'When a running member''s goal will be crossed (or their period ends first): the moment to write milestones.';

-- ---------------------------------------------------------------------------
-- Requests and the cluster's housekeeping
-- ---------------------------------------------------------------------------

-- Idempotency keys: one row per caller and key for 24 hours. The first
-- request claims the key (status null while it runs), its answer is kept
-- when it ends (not a 5xx: then the key is released for another try), and
-- a repeat with the same method, path and body gets that answer again.
create table idempotency_keys (
    caller_id    uuid not null references profiles (id) on delete cascade,
    key          text not null,
    request_hash bytea not null,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (caller_id, key),
    constraint idempotency_keys_key_visible_ascii check (key ~ '^[!-~]{1,255}$'),
    constraint idempotency_keys_answered check ((status is null) = (completed_at is null))
);

-- the maintenance run's purge of expired keys
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- When a periodic job of the cluster last ran, by the database's clock:
-- every instance ticks, and claim_due_job lets exactly one instance of the
-- cluster have each due run.
create table maintenance_jobs (
    job         text primary key,
    last_run_at timestamptz not null
);

-- Fair use: Bucket4j's PostgreSQL engine keeps one row per caller and limit
-- (the key names both, and the limit's quota and window, so a changed
-- LOCKIN_RATE_LIMITS starts fresh buckets); each request that counts locks
-- its row (SELECT ... FOR UPDATE) in a short transaction of its own, so the
-- instances of a deployment share the limits exactly. `state` is Bucket4j's
-- serialized bucket; `expires_at` (epoch milliseconds) is when the bucket is
-- full again and may be forgotten: the maintenance run deletes such rows.
create table fair_use_buckets (
    id         text primary key check (char_length(id) between 1 and 200),
    state      bytea,
    expires_at bigint
);

create index fair_use_buckets_expires_at_idx on fair_use_buckets (expires_at);

comment on table fair_use_buckets is
    'Per-caller token buckets of the fair-use limits (Bucket4j, PostgreSQL select-for-update engine).';
