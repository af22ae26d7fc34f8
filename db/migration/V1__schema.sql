-- LockIN schema, version 1: the whole data model of DOMAIN.md.
--
-- Rules that protect data live here, so that every client of the database
-- (the application, an operator's psql, a later service) keeps them:
-- constraints, triggers and functions. Errors raised on purpose carry
-- SQLSTATEs of the class "LI" with a message fit to show to a user:
--   LI404 not found, LI409 state conflict, LI422 invalid value.
-- The application maps them to HTTP answers without adding its own text.

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
create type notification_kind as enum ('group_invite', 'milestone_member', 'milestone_group', 'session_reminder', 'generic');
create type notification_status as enum ('pending', 'accepted', 'declined', 'read');

-- True when the name is a time zone PostgreSQL knows (IANA names such as
-- 'Europe/Paris'). The application also checks the name against Java's
-- zone database; this guards every other writer.
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

create function touch_updated_at() returns trigger
    language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
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

create trigger profiles_touch before update on profiles
    for each row execute function touch_updated_at();

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

-- Just-in-time provisioning: the profile of (provider, subject), created on
-- the first call. Safe under concurrent first calls: the identity row is
-- claimed first (one insert wins, the others wait for it and then read the
-- winner's profile), and only the winner creates a profile. An email that
-- already belongs to another profile is not copied (the column is unique),
-- so a second identity never takes over someone's account by its email.
create function provision_profile(p_provider text, p_subject text, p_email text, p_display_name text)
    returns uuid
    language plpgsql
as $$
declare
    v_profile_id uuid;
    v_name text := left(coalesce(nullif(btrim(p_display_name), ''), 'LockIN user'), 50);
begin
    select profile_id into v_profile_id
      from auth_identities
     where provider = p_provider and subject = p_subject;
    if found then
        return v_profile_id;
    end if;

    v_profile_id := gen_random_uuid();
    insert into auth_identities (provider, subject, profile_id)
    values (p_provider, p_subject, v_profile_id)
    on conflict (provider, subject) do nothing;

    if not found then
        -- a concurrent first call won; it has committed, so its row is visible now
        select profile_id into v_profile_id
          from auth_identities
         where provider = p_provider and subject = p_subject;
        return v_profile_id;
    end if;

    insert into profiles (id, email, display_name)
    values (v_profile_id, nullif(btrim(p_email), ''), btrim(v_name))
    on conflict (email) do nothing;
    if not found then
        insert into profiles (id, email, display_name) values (v_profile_id, null, btrim(v_name));
    end if;
    return v_profile_id;
end;
$$;

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
    constraint group_members_group_user_key unique (group_id, user_id),
    constraint group_members_override_positive
        check (override_period_target_minutes is null or override_period_target_minutes > 0),
    -- at most one owner; deferred so that a transfer can promote before it demotes
    constraint group_members_one_owner
        exclude (group_id with =) where (role = 'owner') deferrable initially deferred
);

create index group_members_user_idx on group_members (user_id, created_at desc);

-- A new group is pending until its start, active after; archived only by
-- archive_expired_groups(). Nothing of an archived group changes any more.
create function groups_before_write() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        new.status := case when new.start_at > now() then 'pending' else 'active' end::group_status;
        return new;
    end if;
    if old.status = 'archived' then
        raise exception 'group % is archived and can no longer change', old.id using errcode = 'LI409';
    end if;
    new.updated_at := now();
    return new;
end;
$$;

create trigger groups_before_write before insert or update on groups
    for each row execute function groups_before_write();

-- Members of an archived group are frozen: no one joins, leaves or changes role.
create function group_members_before_write() returns trigger
    language plpgsql
as $$
declare
    v_group_id uuid;
    v_status group_status;
begin
    if tg_op = 'DELETE' then
        v_group_id := old.group_id;
    else
        v_group_id := new.group_id;
    end if;
    -- for share: waits for a concurrent archival, so nobody slips into an archived group
    select status into v_status from groups where id = v_group_id for share;
    if v_status = 'archived' then
        raise exception 'group % is archived: its members can no longer change', v_group_id using errcode = 'LI409';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end;
$$;

create trigger group_members_before_write before insert or update or delete on group_members
    for each row execute function group_members_before_write();

-- groups.owner_id follows the member whose role is owner.
create function group_members_sync_owner() returns trigger
    language plpgsql
as $$
begin
    update groups set owner_id = new.user_id
     where id = new.group_id and owner_id <> new.user_id;
    return null;
end;
$$;

create trigger group_members_sync_owner after insert or update of role on group_members
    for each row when (new.role = 'owner') execute function group_members_sync_owner();

-- Checked at commit: a group has exactly one owner member, and it is groups.owner_id.
create function assert_group_has_one_owner(p_group_id uuid) returns void
    language plpgsql
as $$
declare
    v_owner_id uuid;
    v_owners integer;
begin
    select owner_id into v_owner_id from groups where id = p_group_id;
    if not found then
        return; -- the group itself is gone
    end if;
    select count(*) into v_owners from group_members where group_id = p_group_id and role = 'owner';
    if v_owners <> 1 then
        raise exception 'a group must have exactly one owner' using errcode = 'LI409';
    end if;
    if not exists (select 1 from group_members
                    where group_id = p_group_id and role = 'owner' and user_id = v_owner_id) then
        raise exception 'the group''s owner must be its owner member' using errcode = 'LI409';
    end if;
end;
$$;

create function groups_check_owner() returns trigger
    language plpgsql
as $$
begin
    perform assert_group_has_one_owner(new.id);
    return null;
end;
$$;

create function group_members_check_owner() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'DELETE' then
        perform assert_group_has_one_owner(old.group_id);
    else
        perform assert_group_has_one_owner(new.group_id);
    end if;
    return null;
end;
$$;

create constraint trigger groups_check_owner after insert or update of owner_id on groups
    deferrable initially deferred
    for each row execute function groups_check_owner();

create constraint trigger group_members_check_owner after insert or update or delete on group_members
    deferrable initially deferred
    for each row execute function group_members_check_owner();

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
    created_at         timestamptz not null default now(),
    constraint sessions_end_after_start check (ended_at >= started_at),
    constraint sessions_segment_while_running check ((status = 'running') = (segment_started_at is not null)),
    constraint sessions_segment_after_start check (segment_started_at >= started_at),
    constraint sessions_started_when_begun
        check (status in ('scheduled', 'cancelled') or started_at is not null),
    constraint sessions_ended_when_over check ((status in ('ended', 'cancelled')) = (ended_at is not null)),
    constraint sessions_not_started_when_cancelled check (status <> 'cancelled' or started_at is null)
);

create index sessions_group_idx on sessions (group_id, created_at desc);
create index sessions_running_idx on sessions (group_id) where status = 'running';
create index sessions_creator_idx on sessions (creator_id, created_at desc);

-- A session of a group may be created only while the group is active, and
-- may not (re)start once the group is archived.
create function sessions_before_write() returns trigger
    language plpgsql
as $$
declare
    v_status group_status;
begin
    if new.group_id is null then
        return new;
    end if;
    if tg_op = 'INSERT' or (new.status = 'running' and old.status is distinct from 'running') then
        select status into v_status from groups where id = new.group_id for share;
        if v_status = 'archived' then
            raise exception 'group % is archived: no more focus sessions', new.group_id using errcode = 'LI409';
        elsif tg_op = 'INSERT' and v_status = 'pending'
              and (select start_at from groups where id = new.group_id) > now() then
            raise exception 'group % has not started yet', new.group_id using errcode = 'LI409';
        end if;
    end if;
    return new;
end;
$$;

create trigger sessions_before_write before insert or update on sessions
    for each row execute function sessions_before_write();

create table session_participants (
    id         uuid primary key default gen_random_uuid(),
    session_id uuid not null references sessions (id) on delete cascade,
    user_id    uuid not null references profiles (id) on delete cascade,
    role       participant_role not null default 'participant',
    joined_at  timestamptz not null default now(),
    constraint session_participants_session_user_key unique (session_id, user_id),
    -- target of time_logs' composite key, so a log's user_id is its participant's
    constraint session_participants_id_user_key unique (id, user_id)
);

create index session_participants_user_idx on session_participants (user_id);

create table time_logs (
    id             uuid primary key default gen_random_uuid(),
    participant_id uuid not null,
    user_id        uuid not null,
    -- copied from the session (set by trigger): lets the leaderboard read
    -- one group's logs of a period with one index range scan
    group_id       uuid references groups (id) on delete set null,
    started_at     timestamptz not null,
    ended_at       timestamptz not null,
    source         time_log_source not null,
    created_at     timestamptz not null default now(),
    constraint time_logs_participant_fkey foreign key (participant_id, user_id)
        references session_participants (id, user_id) on delete cascade,
    constraint time_logs_end_after_start check (ended_at > started_at),
    constraint time_logs_manual_at_most_24h
        check (source <> 'manual' or ended_at - started_at <= interval '24 hours'),
    -- no two logs of one person overlap, in any session; [start, end) so
    -- logs that only touch do not overlap
    constraint time_logs_no_overlap
        exclude using gist (user_id with =, tstzrange(started_at, ended_at) with &&)
);

create index time_logs_participant_idx on time_logs (participant_id, started_at);
create index time_logs_group_period_idx on time_logs (group_id, user_id, ended_at) include (started_at)
    where group_id is not null;

-- A log belongs to its participant's user and session; it lies inside the
-- session's window and not in the future.
create function time_logs_before_write() returns trigger
    language plpgsql
as $$
declare
    v_session sessions%rowtype;
begin
    select s.* into v_session
      from session_participants p join sessions s on s.id = p.session_id
     where p.id = new.participant_id;
    if not found then
        raise exception 'participant % does not exist', new.participant_id using errcode = 'LI404';
    end if;
    if new.user_id is null then
        select user_id into new.user_id from session_participants where id = new.participant_id;
    end if;
    new.group_id := v_session.group_id;

    if new.ended_at > now() then
        raise exception 'a time log cannot end in the future' using errcode = 'LI422';
    end if;
    if v_session.started_at is null or new.started_at < v_session.started_at then
        raise exception 'a time log cannot start before its session started' using errcode = 'LI422';
    end if;
    if v_session.ended_at is not null and new.ended_at > v_session.ended_at then
        raise exception 'a time log cannot end after its session ended' using errcode = 'LI422';
    end if;
    return new;
end;
$$;

create trigger time_logs_before_write before insert or update on time_logs
    for each row execute function time_logs_before_write();

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

-- No invites to an archived group; an invite is answered once.
create function notifications_before_write() returns trigger
    language plpgsql
as $$
begin
    if new.kind = 'group_invite' and (tg_op = 'INSERT' or new.status is distinct from old.status) then
        if tg_op = 'UPDATE' and old.status <> 'pending' then
            raise exception 'this invite was already %', old.status using errcode = 'LI409';
        end if;
        if (tg_op = 'INSERT' or new.status = 'accepted')
           and exists (select 1 from groups where id = new.group_id and status = 'archived' for share) then
            raise exception 'group % is archived', new.group_id using errcode = 'LI409';
        end if;
    end if;
    return new;
end;
$$;

create trigger notifications_before_write before insert or update on notifications
    for each row execute function notifications_before_write();

-- ---------------------------------------------------------------------------
-- Periods and progress
-- ---------------------------------------------------------------------------

-- The period of a group containing p_at, clamped to the group's
-- [start_at, end_at). Computed on local wall-clock time and converted back,
-- so a day with a DST change lasts 23 or 25 hours. Before the start the
-- first period shows; after the end, the last one.
create function group_period_bounds(
    p_period group_period, p_timezone text, p_start_at timestamptz, p_end_at timestamptz, p_at timestamptz,
    out period_start timestamptz, out period_end timestamptz)
    language sql stable
as $$
    select greatest(local_start at time zone p_timezone, p_start_at),
           least((local_start + step) at time zone p_timezone, p_end_at)
      from (select date_trunc(case p_period when 'daily' then 'day' else 'week' end,
                              least(greatest(p_at, p_start_at), p_end_at - interval '1 microsecond')
                                  at time zone p_timezone) as local_start,
                   case p_period when 'daily' then interval '1 day' else interval '1 week' end as step) l
$$;

-- Every member's progress in the current period of every group, as of
-- p_at. An inlinable SQL function: filtering its result by group_id
-- reaches the indexes, and tests can pass a fixed instant.
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
        rank           bigint)
    language sql stable
as $$
    select t.group_id, t.user_id, t.display_name, t.avatar_url, t.period_start, t.period_end,
           t.target_minutes, t.seconds_done, t.seconds_done >= t.target_minutes * 60 as goal_met,
           t.is_focusing,
           rank() over (partition by t.group_id order by t.seconds_done desc) as rank
      from (
        select g.id as group_id, m.user_id, p.display_name, p.avatar_url, b.period_start, b.period_end,
               coalesce(m.override_period_target_minutes, g.period_target_minutes) as target_minutes,
               floor(coalesce(logged.seconds, 0) + coalesce(open_segment.seconds, 0))::bigint as seconds_done,
               open_segment.seconds is not null as is_focusing
          from groups g
          cross join lateral group_period_bounds(g.period, g.timezone, g.start_at, g.end_at, p_at) b
          join group_members m on m.group_id = g.id
          join profiles p on p.id = m.user_id
          left join lateral (
                select sum(extract(epoch from least(l.ended_at, b.period_end) - greatest(l.started_at, b.period_start))) as seconds
                  from time_logs l
                 where l.group_id = g.id and l.user_id = m.user_id
                   and l.ended_at > b.period_start and l.started_at < b.period_end
               ) logged on true
          left join lateral (
                select sum(greatest(0, extract(epoch from
                           least(p_at, b.period_end) - greatest(s.segment_started_at, sp.joined_at, b.period_start)))) as seconds
                  from sessions s
                  join session_participants sp on sp.session_id = s.id and sp.user_id = m.user_id
                 where s.group_id = g.id and s.status = 'running'
               ) open_segment on true
      ) t
$$;

create view group_member_period_progress as
    select * from group_member_period_progress_at(now());

-- ---------------------------------------------------------------------------
-- Milestones
-- ---------------------------------------------------------------------------

-- After time is logged: every member of the group hears when someone first
-- meets the period's goal (milestone_member), and when everyone has
-- (milestone_group); at most one of each per member or group and period
-- (unique indexes), in the transaction that logged the time.
create function record_milestones() returns trigger
    language plpgsql
as $$
declare
    v_group uuid;
begin
    for v_group in select distinct group_id from new_logs where group_id is not null loop
        insert into notifications (recipient_id, kind, title, body, group_id, subject_id, period_start)
        with progress as (select * from group_member_period_progress_at(now()) p where p.group_id = v_group)
        select m.user_id, 'milestone_member',
               left(p.display_name || ' reached the goal', 200),
               p.display_name || ' focused ' || p.target_minutes || ' minutes in ' || g.name || ' this period.',
               v_group, p.user_id, p.period_start
          from progress p
          join groups g on g.id = p.group_id
          join group_members m on m.group_id = p.group_id
         where p.goal_met
           and p.user_id in (select user_id from new_logs where group_id = v_group)
        on conflict do nothing;

        insert into notifications (recipient_id, kind, title, body, group_id, period_start)
        with progress as (select * from group_member_period_progress_at(now()) p where p.group_id = v_group)
        select m.user_id, 'milestone_group', 'Everyone reached the goal',
               'Every member of ' || g.name || ' met this period''s goal.', v_group, x.period_start
          from (select min(period_start) as period_start from progress having bool_and(goal_met)) x
          join groups g on g.id = v_group
          join group_members m on m.group_id = v_group
        on conflict do nothing;
    end loop;
    return null;
end;
$$;

create trigger time_logs_milestones after insert on time_logs
    referencing new table as new_logs
    for each statement execute function record_milestones();

-- ---------------------------------------------------------------------------
-- Cloning and archival
-- ---------------------------------------------------------------------------

-- A new active group like p_group_id, starting now and as long as the
-- original; members copied with roles and overrides; the caller (a member)
-- becomes owner and the previous owner, when someone else, an admin.
create function clone_group(p_group_id uuid, p_caller_id uuid)
    returns uuid
    language plpgsql
as $$
declare
    v_new_id uuid;
begin
    if not exists (select 1 from group_members where group_id = p_group_id and user_id = p_caller_id) then
        raise exception 'group % not found', p_group_id using errcode = 'LI404';
    end if;

    insert into groups (owner_id, name, description, start_at, end_at, timezone, period, period_target_minutes)
    select p_caller_id, name, description, now(), now() + (end_at - start_at), timezone, period, period_target_minutes
      from groups where id = p_group_id
    returning id into v_new_id;

    insert into group_members (group_id, user_id, role, override_period_target_minutes)
    select v_new_id, user_id,
           case when user_id = p_caller_id then 'owner'
                when role = 'owner' then 'admin'
                else role end::member_role,
           override_period_target_minutes
      from group_members where group_id = p_group_id
     order by created_at;
    return v_new_id;
end;
$$;

-- Ends what is still going on in the given groups before they are archived:
-- a running session's open segment is logged for each participant, running
-- and paused sessions end, scheduled ones are cancelled.
create function stop_sessions_of_groups(p_group_ids uuid[])
    returns void
    language sql
as $$
    insert into time_logs (participant_id, user_id, started_at, ended_at, source)
    select sp.id, sp.user_id, greatest(s.segment_started_at, sp.joined_at), now(), 'clock'
      from sessions s
      join session_participants sp on sp.session_id = s.id
     where s.group_id = any (p_group_ids)
       and s.status = 'running'
       and greatest(s.segment_started_at, sp.joined_at) < now();

    update sessions
       set status = case when status = 'scheduled' then 'cancelled' else 'ended' end::session_status,
           ended_at = now(),
           segment_started_at = null
     where group_id = any (p_group_ids)
       and status in ('scheduled', 'running', 'paused');
$$;

-- Archives one group now (its owner's :archive), stopping its sessions.
-- Returns false when it was archived already.
create function archive_group(p_group_id uuid)
    returns boolean
    language plpgsql
as $$
begin
    perform 1 from groups where id = p_group_id and status <> 'archived' for update;
    if not found then
        return false;
    end if;
    perform stop_sessions_of_groups(array[p_group_id]);
    update groups set status = 'archived' where id = p_group_id;
    return true;
end;
$$;

-- Archives every group whose end has passed, first stopping its sessions
-- (a running one's open segment is logged for each participant); promotes
-- pending groups whose start has come. Returns how many groups it archived.
-- Idempotent; with several instances, one run at a time does the work and
-- the others return 0 at once instead of waiting or failing.
create function archive_expired_groups()
    returns integer
    language plpgsql
as $$
declare
    v_due uuid[];
    v_archived integer;
begin
    if not pg_try_advisory_xact_lock(hashtext('lockin.archive_expired_groups')) then
        return 0;
    end if;

    update groups set status = 'active'
     where status = 'pending' and start_at <= now() and end_at > now();

    select coalesce(array_agg(id), '{}') into v_due
      from (select id from groups where status <> 'archived' and end_at <= now()
            for update skip locked) due;

    perform stop_sessions_of_groups(v_due);

    update groups set status = 'archived' where id = any (v_due);
    get diagnostics v_archived = row_count;
    return v_archived;
end;
$$;
