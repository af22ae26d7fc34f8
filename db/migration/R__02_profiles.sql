-- Profiles: a person's profile, created on their first call from their
-- token's identity (just-in-time provisioning), and kept current.

-- updated_at of a profile follows its changes.

create or replace function touch_updated_at() returns trigger
    language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

drop trigger if exists profiles_touch on profiles;
create trigger profiles_touch before update on profiles
    for each row execute function touch_updated_at();

-- True while erase_person (R__17_erasure.sql) gives an erased person's kept
-- history to their anonymous profile, in its own transaction: the rules that
-- freeze an archived group (and the milestones that a log's change writes)
-- let that re-keying through. Set and cleared by erase_person alone.
create or replace function erasure_in_progress() returns boolean
    language sql stable
as $$
    select coalesce(current_setting('lockin.erasure_in_progress', true), '') = 'on'
$$;

-- Just-in-time provisioning: the profile of (provider, subject), created on
-- the first call. Safe under concurrent first calls: the identity row is
-- claimed first (one insert wins, the others wait for it and then read the
-- winner's profile), and only the winner creates a profile. An email that
-- already belongs to another profile is not copied (the column is unique),
-- so a second identity never takes over someone's account by its email.
-- The invites by email waiting for the new profile's address become its
-- notifications (those of groups archived meanwhile are dropped).
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
