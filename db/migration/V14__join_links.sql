-- ---------------------------------------------------------------------------
-- Join links: owners and admins invite anyone holding the link
-- ---------------------------------------------------------------------------
--
-- A link adds whoever uses it as a member, until it expires, is used up or
-- revoked, or its group is archived. Its code carries at least 128 random
-- bits (the application makes 192: 32 base64url characters). The uses are
-- counted under the link's row lock, so max_uses holds exactly however many
-- people race for the last use; the constraint keeps it whatever writes.

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

comment on table join_links is
    'Links that add whoever uses them to a group as a member: until expires_at, at most max_uses times, unless revoked.';

-- A new row that lets people into a group (a link here, a waiting invite in
-- V16): not for an archived group (409, like every write to one).
create function refuse_when_group_archived() returns trigger
    language plpgsql
as $$
begin
    if exists (select 1 from groups where id = new.group_id and status = 'archived' for share) then
        raise exception 'The group is archived: it takes no new members.' using errcode = 'LI409';
    end if;
    return new;
end;
$$;

create trigger join_links_before_insert before insert on join_links
    for each row execute function refuse_when_group_archived();
