-- Erasure: a person deletes their account (DOMAIN.md "A person's data").
--
-- Immediate and irreversible, and it anonymises rather than falsifies
-- history: in one transaction the person's profile, identities, inbox,
-- pending invites, personal sessions, stored answers and fair-use buckets go;
-- their memberships end the way any membership ends (R__06_timeline.sql:
-- open segments close now, participations end, sessions they host end);
-- groups they own alone are archived; and what other people's history is
-- made of (their time in groups, the sessions they hosted there, their
-- targets, their former memberships, the owner of an archived group they
-- owned) is given to an anonymous profile made for it (profiles.erased_at,
-- no email, name or avatar, a new id), so boards and history keep their
-- figures with a "former member" where the person was. Afterwards no row
-- holds the person's id, email or name. State changes made here, not by the
-- application, except their avatar objects in S3 (the application deletes
-- every one under their prefix once this has committed).

-- Erases person p_user; answers the avatar_url their profile had (null: none).
-- LI404 when there is no such profile; LI409 when they own a group that has
-- other members (not archived), with those groups' ids in the detail
-- ({"owned_groups": [...]}): ownership must be handed over first.
create or replace function erase_person(p_user uuid)
    returns text
    language plpgsql
as $$
declare
    v_profile profiles%rowtype;
    v_owned uuid[];
    v_anonymous uuid := gen_random_uuid();
    v_group uuid;
    v_name_pattern text;
begin
    select * into v_profile from profiles where id = p_user and erased_at is null for update;
    if not found then
        raise exception 'profile not found' using errcode = 'LI404';
    end if;

    -- groups they own and that are still going on, locked in one order (a join waits, or is seen)
    perform 1 from groups where owner_id = p_user and status <> 'archived' order by id for update;
    select array_agg(g.id order by g.created_at, g.id) into v_owned
      from groups g
     where g.owner_id = p_user and g.status <> 'archived'
       and exists (select 1 from group_members m where m.group_id = g.id and m.user_id <> p_user);
    if v_owned is not null then
        raise exception 'You own groups with other members: hand their ownership over to another member first.'
            using errcode = 'LI409', detail = json_build_object('owned_groups', v_owned)::text;
    end if;
    -- groups they own alone end now
    for v_group in select id from groups where owner_id = p_user and status <> 'archived' order by id loop
        perform archive_group(v_group);
    end loop;

    -- memberships of groups still going on end as any membership ends (open segments close now, ...)
    delete from group_members m
     using groups g
     where g.id = m.group_id and m.user_id = p_user and g.status <> 'archived';

    -- what goes: pending invites to and from them, their join links' power, personal sessions, buckets
    delete from notifications
     where kind = 'group_invite' and status = 'pending' and (recipient_id = p_user or actor_id = p_user);
    delete from email_invites where actor_id = p_user or email = v_profile.email;
    update join_links set revoked_at = now() where created_by = p_user and revoked_at is null;
    update join_links set created_by = null where created_by = p_user;
    delete from sessions s
     where s.group_id is null
       and (s.creator_id = p_user or exists (select 1 from session_participants p
                                               where p.session_id = s.id and p.user_id = p_user))
       and not exists (select 1 from session_participants p where p.session_id = s.id and p.user_id <> p_user);
    delete from fair_use_buckets where split_part(id, '/', 4) = p_user::text;   -- fair_use_buckets_caller_idx
    delete from idempotency_keys where caller_id = p_user;
    -- others' kept answers that name them (a member added, an invite sent to them): a retry is done again
    delete from idempotency_keys k
     where position(convert_to(p_user::text, 'UTF8') in k.body) > 0
        or position(convert_to('"' || v_profile.display_name || '"', 'UTF8') in k.body) > 0
        or (v_profile.email is not null and position(convert_to(v_profile.email::text, 'UTF8') in k.body) > 0);
    delete from goal_checks where user_id = p_user;
    delete from devices where user_id = p_user;                 -- devices_user_idx
    delete from presence_pushes where user_id = p_user;         -- its key
    update webhooks set created_by = null where created_by = p_user;   -- webhooks_created_by_idx
    delete from notification_settings where user_id = p_user;

    -- what stays, given to the anonymous profile (archived groups' rules let this through)
    perform set_config('lockin.erasure_in_progress', 'on', true);
    insert into profiles (id, email, display_name, avatar_url, erased_at) values (v_anonymous, null, null, null, now());
    -- the boards sealed with the person on them are sealed anew
    for v_group in select distinct b.group_id from period_boards b where b.user_ids @> array[p_user] loop
        perform forget_period_boards(v_group, '-infinity');
    end loop;
    -- memberships of archived groups end too, but the owner's (the group keeps one)
    delete from group_members m
     using groups g
     where g.id = m.group_id and m.user_id = p_user and m.role <> 'owner';
    update group_members set user_id = v_anonymous where user_id = p_user;
    update groups set owner_id = v_anonymous where owner_id = p_user;
    update former_members set user_id = v_anonymous where user_id = p_user;
    -- targets before time: the totals the logs move to the anonymous profile are judged with them
    update target_history set user_id = v_anonymous where user_id = p_user;
    set constraints time_logs_participant_fkey deferred;
    update time_logs set user_id = v_anonymous where user_id = p_user;
    update session_participants set user_id = v_anonymous where user_id = p_user;
    set constraints time_logs_participant_fkey immediate;
    update time_logs set voided_by = null where voided_by = p_user;
    update sessions set creator_id = v_anonymous where creator_id = p_user;
    -- other people's notifications about them or from them: anonymous (their name, as a whole word, replaced)
    v_name_pattern := '(?<![[:alnum:]_])' || regexp_replace(v_profile.display_name, '([.*+?^$(){}|\[\]\\])', '\\\1', 'g')
                      || '(?![[:alnum:]_])';
    update notifications
       set subject_id = case when subject_id = p_user then v_anonymous else subject_id end,
           actor_id = case when actor_id = p_user then null else actor_id end,
           title = left(regexp_replace(title, v_name_pattern, 'A former member', 'g'), 200),
           body = regexp_replace(body, v_name_pattern, 'a former member', 'g')
     where (subject_id = p_user or actor_id = p_user) and recipient_id <> p_user;
    perform set_config('lockin.erasure_in_progress', '', true);
    -- pushes and webhook events about them or naming them, sent or not (kept a week, or a webhook's last 100)
    delete from outbox o
     where o.subject_id = p_user
        or position(p_user::text in o.payload::text) > 0
        or o.payload::text ~ v_name_pattern;

    -- the rest goes with the profile: identities, inbox, leftover totals (on delete cascade)
    delete from profiles where id = p_user;
    perform notify_live('erased ' || p_user);   -- every instance forgets it (at commit)
    return v_profile.avatar_url;
end;
$$;

comment on function erase_person(uuid) is
    'Erases a person: their data deleted, the history others share kept under a new anonymous profile; answers their avatar_url.';
