-- ---------------------------------------------------------------------------
-- Invites by email to an address that has no account yet
-- ---------------------------------------------------------------------------
--
-- An invite by email answers the same whether the address has an account or
-- not (no enumeration of addresses): without one, the invite waits here,
-- under the id its notification will have, and becomes that notification in
-- the inbox of the profile that signs up with this (verified) address. A
-- second invite of the same group to a waiting address is 409, as for an
-- account with a pending invite. Invites to groups archived meanwhile, or
-- whose new member is already in the group, are dropped at sign-up.

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

comment on table email_invites is
    'Invites by email waiting for an account with that address; each becomes a group_invite notification at sign-up.';

-- V1's provisioning, and the invites waiting for the new profile's address.
create or replace function provision_profile(p_provider text, p_subject text, p_email text, p_display_name text)
    returns uuid
    language plpgsql
as $$
declare
    v_profile_id uuid;
    v_name text := left(coalesce(nullif(btrim(p_display_name), ''), 'LockIN user'), 50);
    v_email citext;
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
    on conflict (email) do nothing
    returning email into v_email;
    if not found then
        insert into profiles (id, email, display_name) values (v_profile_id, null, btrim(v_name));
    elsif v_email is not null then
        with waiting as (
            delete from email_invites e where e.email = v_email returning e.*)
        insert into notifications (id, recipient_id, actor_id, kind, status, title, body, group_id)
        select w.id, v_profile_id, w.actor_id, 'group_invite', 'pending', w.title, w.body, w.group_id
          from waiting w
          join groups g on g.id = w.group_id
         where g.status <> 'archived';
    end if;
    return v_profile_id;
end;
$$;

-- As an invite in an inbox (notifications_before_write): none to an archived group.
create trigger email_invites_before_insert before insert on email_invites
    for each row execute function refuse_when_group_archived();
