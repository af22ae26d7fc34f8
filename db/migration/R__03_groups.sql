-- Groups and their members: a group's status, its one owner, who may join
-- or change, and cloning.
--
-- Time is decided by one clock, the database's. Nothing of an archived group
-- changes any more; the application checks none of this again, it turns the
-- refusals (SQLSTATE LI409/LI422) into problems.

-- A new group without a start starts now; it is pending until its start,
-- active after, and archived only by archive_group / archive_expired_groups
-- (R__14_archival.sql).
create or replace function groups_before_write() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        new.start_at := coalesce(new.start_at, now());
        new.status := case when new.start_at > now() then 'pending' else 'active' end::group_status;
        return new;
    end if;
    if old.status = 'archived' and not erasure_in_progress() then   -- an erasure re-keys its owner
        raise exception 'This group is archived and can no longer change.' using errcode = 'LI409';
    end if;
    new.updated_at := now();
    return new;
end;
$$;

drop trigger if exists groups_before_write on groups;
create trigger groups_before_write before insert or update on groups
    for each row execute function groups_before_write();

-- Members of an archived group are frozen; a member's own target fits the
-- group's period as the group's target does.
create or replace function group_members_before_write() returns trigger
    language plpgsql
as $$
declare
    v_group_id uuid;
    v_status group_status;
    v_period group_period;
    v_longest integer;
begin
    if tg_op = 'DELETE' then
        v_group_id := old.group_id;
    else
        v_group_id := new.group_id;
    end if;
    -- for share: waits for a concurrent archival, so nobody slips into an archived group
    select status, period into v_status, v_period from groups where id = v_group_id for share;
    if v_status = 'archived' and not erasure_in_progress() then   -- an erased person's membership ends
        raise exception 'This group is archived: its members can no longer change.' using errcode = 'LI409';
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    v_longest := case v_period when 'daily' then 1440 else 10080 end;
    if new.override_period_target_minutes > v_longest then
        raise exception 'must be between 1 and % for a % group', v_longest, v_period
            using errcode = 'LI422', column = 'override_period_target_minutes';
    end if;
    return new;
end;
$$;

drop trigger if exists group_members_before_write on group_members;
create trigger group_members_before_write before insert or update or delete on group_members
    for each row execute function group_members_before_write();

-- A membership that ends (removed, leaving, an erasure) is kept as a former
-- membership: past boards list who was a member then (history is true,
-- DOMAIN.md "Fair play"; R__08_boards.sql, former_members_at).
create or replace function group_members_keep_former() returns trigger
    language plpgsql
as $$
begin
    insert into former_members (group_id, user_id, role, hidden_from_leaderboard, joined_at, left_at)
    values (old.group_id, old.user_id, old.role, old.hidden_from_leaderboard, old.created_at, greatest(now(), old.created_at));
    return null;
end;
$$;

drop trigger if exists group_members_keep_former on group_members;
create trigger group_members_keep_former after delete on group_members
    for each row execute function group_members_keep_former();

-- groups.owner_id follows the member whose role is owner.
create or replace function group_members_sync_owner() returns trigger
    language plpgsql
as $$
begin
    update groups set owner_id = new.user_id
     where id = new.group_id and owner_id <> new.user_id;
    return null;
end;
$$;

drop trigger if exists group_members_sync_owner on group_members;
create trigger group_members_sync_owner after insert or update of role on group_members
    for each row when (new.role = 'owner') execute function group_members_sync_owner();

-- Checked at commit: a group has exactly one owner member, and it is groups.owner_id.
create or replace function assert_group_has_one_owner(p_group_id uuid) returns void
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

create or replace function groups_check_owner() returns trigger
    language plpgsql
as $$
begin
    perform assert_group_has_one_owner(new.id);
    return null;
end;
$$;

drop trigger if exists groups_check_owner on groups;
create constraint trigger groups_check_owner after insert or update of owner_id on groups
    deferrable initially deferred
    for each row execute function groups_check_owner();

create or replace function group_members_check_owner() returns trigger
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

drop trigger if exists group_members_check_owner on group_members;
create constraint trigger group_members_check_owner after insert or update or delete on group_members
    deferrable initially deferred
    for each row execute function group_members_check_owner();

-- ---------------------------------------------------------------------------
-- Cloning
-- ---------------------------------------------------------------------------
--
-- A new active group like p_group_id, starting now and as long as the
-- original, owned by the caller (a member). Only the owner's clone copies the
-- members, with their roles and overrides; anyone else's has the caller alone
-- (the original's owner becomes an admin of a copy only through the owner's
-- clone), and the application invites the others (DOMAIN.md "Cloning"): a
-- plain member cannot put everyone into groups they did not choose.
create or replace function clone_group(p_group_id uuid, p_caller_id uuid)
    returns uuid
    language plpgsql
as $$
declare
    v_new_id uuid;
    v_role member_role;
begin
    select role into v_role from group_members where group_id = p_group_id and user_id = p_caller_id;
    if not found then
        raise exception 'group % not found', p_group_id using errcode = 'LI404';
    end if;

    insert into groups (owner_id, name, description, start_at, end_at, timezone, period, period_target_minutes,
                        declared_time)
    select p_caller_id, name, description, now(), now() + (end_at - start_at), timezone, period, period_target_minutes,
           declared_time
      from groups where id = p_group_id
    returning id into v_new_id;

    insert into group_members (group_id, user_id, role, override_period_target_minutes)
    select v_new_id, user_id,
           case when user_id = p_caller_id then 'owner'
                when role = 'owner' then 'admin'
                else role end::member_role,
           override_period_target_minutes
      from group_members
     where group_id = p_group_id
       and (v_role = 'owner' or user_id = p_caller_id)
     order by created_at;
    return v_new_id;
end;
$$;
