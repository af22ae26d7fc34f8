-- Invites: join links and invites by email waiting for an account.
--
-- A join link's lifetime and uses, and an email's length, are constraints
-- of their tables (V1__schema.sql); an invite in an inbox is a notification
-- (R__11_milestones.sql, notifications_before_write).

-- A new row that lets people into a group (a join link, a waiting invite by
-- email): not for an archived group (409, like every write to one). A use of
-- a link of an archived group: 410 (LI410), like a link expired or used up.
create or replace function refuse_when_group_archived() returns trigger
    language plpgsql
as $$
begin
    if exists (select 1 from groups where id = new.group_id and status = 'archived' for share) then
        raise exception 'The group is archived: it takes no new members.'
            using errcode = case when tg_op = 'UPDATE' then 'LI410' else 'LI409' end;
    end if;
    return new;
end;
$$;

drop trigger if exists join_links_before_insert on join_links;
create trigger join_links_before_insert before insert on join_links
    for each row execute function refuse_when_group_archived();

drop trigger if exists join_links_before_use on join_links;
create trigger join_links_before_use before update of uses on join_links
    for each row when (new.uses > old.uses) execute function refuse_when_group_archived();

-- As an invite in an inbox (notifications_before_write): none to an archived group.
drop trigger if exists email_invites_before_insert on email_invites;
create trigger email_invites_before_insert before insert on email_invites
    for each row execute function refuse_when_group_archived();
