-- A group's webhooks (issue 27; DOMAIN.md "Reaching people outside the app",
-- table webhooks in V9__outbox_and_webhooks.sql): at most 10 a group, and
-- none added or changed in an archived group. The application checks none
-- of this again: it turns the refusals (LI409) into problems.

-- A new webhook takes the group's row lock (for no key update), so that two
-- managers adding the tenth and eleventh at once wait for each other and the
-- count holds; an archived group takes none (409, like every write to one).
create or replace function webhooks_before_insert() returns trigger
    language plpgsql
as $$
declare
    v_status group_status;
begin
    select status into v_status from groups where id = new.group_id for no key update;
    if v_status = 'archived' then
        raise exception 'This group is archived and can no longer change.' using errcode = 'LI409';
    end if;
    if (select count(*) from webhooks where group_id = new.group_id) >= 10 then
        raise exception 'A group has at most 10 webhooks: remove one first.' using errcode = 'LI409';
    end if;
    return new;
end;
$$;

drop trigger if exists webhooks_before_insert on webhooks;
create trigger webhooks_before_insert before insert on webhooks
    for each row execute function webhooks_before_insert();

-- A webhook of an archived group keeps what it has: its events, secret and
-- URL do not change and it is not turned back on. Turning it off, and the
-- outbox's own bookkeeping (failing_since, disabling after 24 hours of
-- failures), still go; so does removing it.
create or replace function webhooks_before_update() returns trigger
    language plpgsql
as $$
begin
    if exists (select 1 from groups where id = new.group_id and status = 'archived' for share) then
        raise exception 'This group is archived and can no longer change.' using errcode = 'LI409';
    end if;
    return new;
end;
$$;

drop trigger if exists webhooks_before_update on webhooks;
create trigger webhooks_before_update before update on webhooks
    for each row
    when (new.url is distinct from old.url or new.events is distinct from old.events
          or new.format is distinct from old.format or new.secret is distinct from old.secret
          or (new.enabled and not old.enabled))
    execute function webhooks_before_update();
