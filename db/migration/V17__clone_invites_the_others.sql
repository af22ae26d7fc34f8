-- ---------------------------------------------------------------------------
-- Cloning by someone other than the owner puts nobody into the new group
-- ---------------------------------------------------------------------------
--
-- V1's clone_group copied every member into the copy whoever cloned: any
-- plain member could put everyone into groups they did not choose, again and
-- again. Now only the owner's clone copies the members (with their roles and
-- overrides); anyone else's has them alone as its owner, and the application
-- invites the others (DOMAIN.md "Cloning").

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
      from group_members
     where group_id = p_group_id
       and (v_role = 'owner' or user_id = p_caller_id)
     order by created_at;
    return v_new_id;
end;
$$;
