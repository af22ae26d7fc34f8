-- Reaching people outside the app (issue 27, DOMAIN.md "Reaching people
-- outside the app"): the phones a person registered for push, and what they
-- want pushed and when.

-- A phone as its push provider knows it. One row per token: a token
-- registered by another person moves to them (one phone, one person at a
-- time), so (platform, token) is unique. The token is a secret of the
-- provider's and is never answered by the API.
create table devices (
    id           uuid primary key,
    user_id      uuid not null references profiles (id) on delete cascade,
    platform     text not null,
    token        text not null,
    app_version  text,
    locale       text,
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    constraint devices_platform_known check (platform in ('apns', 'fcm')),
    constraint devices_token_length check (char_length(token) between 1 and 4096),
    constraint devices_app_version_length check (app_version is null or char_length(app_version) between 1 and 50),
    -- BCP 47 in its common shape: a language of 2-3 letters, then subtags of 1-8 letters or digits (en, pt-BR, zh-Hant-TW)
    constraint devices_locale_format check (locale is null or (char_length(locale) <= 35
                                            and locale ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$')),
    constraint devices_platform_token_key unique (platform, token)
);
comment on table devices is
    'The phones people registered for push (POST /api/me/devices): at most 20 a person, the least recently seen dropped.';
comment on constraint devices_platform_known on devices is 'platform: must be one of [apns, fcm]';
comment on constraint devices_token_length on devices is 'token: must have 1 to 4096 characters';
comment on constraint devices_app_version_length on devices is 'app_version: must have 1 to 50 characters';
comment on constraint devices_locale_format on devices is 'locale: must be a BCP 47 language tag such as en or pt-BR';
comment on constraint devices_platform_token_key on devices is 'This device is registered already.';
-- a person's devices, most recently seen first (the list, the limit, the export, erasure)
create index devices_user_idx on devices (user_id, last_seen_at desc);

-- What a person wants pushed, and their quiet hours. No row: the defaults,
-- which notification_settings_of (R__18_notifications.sql) alone states
-- (every kind on but presence; no quiet hours), so the columns have none. A
-- table of its own rather than columns of profiles: most people never
-- change it, the push delivery reads it by person, and each kind is a typed
-- column the database checks.
create table notification_settings (
    user_id                 uuid primary key references profiles (id) on delete cascade,
    push_group_invite       boolean not null,
    push_milestone_member   boolean not null,
    push_milestone_group    boolean not null,
    push_session_autopaused boolean not null,
    push_log_voided         boolean not null,
    push_presence           boolean not null,
    quiet_hours_from        time,
    quiet_hours_to          time,
    quiet_hours_timezone    text,
    constraint notification_settings_quiet_hours_whole check (
        (quiet_hours_from is null) = (quiet_hours_to is null) and (quiet_hours_from is null) = (quiet_hours_timezone is null)),
    constraint notification_settings_quiet_hours_minutes check (
        date_trunc('minute', quiet_hours_from) = quiet_hours_from and date_trunc('minute', quiet_hours_to) = quiet_hours_to),
    constraint notification_settings_quiet_hours_not_empty check (quiet_hours_from <> quiet_hours_to),
    constraint notification_settings_timezone_valid check (is_valid_time_zone(quiet_hours_timezone))
);
comment on table notification_settings is
    'What a person wants pushed and their quiet hours (GET/PATCH /api/me/notification-settings); no row: the defaults.';
comment on constraint notification_settings_quiet_hours_whole on notification_settings is
    'quiet_hours: must have from, to and timezone, or be null';
comment on constraint notification_settings_quiet_hours_minutes on notification_settings is
    'quiet_hours: must have whole minutes (HH:MM) in from and to';
comment on constraint notification_settings_quiet_hours_not_empty on notification_settings is
    'quiet_hours.to: must differ from quiet_hours.from';
comment on constraint notification_settings_timezone_valid on notification_settings is
    'quiet_hours.timezone: must be an IANA time zone such as Europe/Paris or UTC';
