-- ---------------------------------------------------------------------------
-- Retries and several devices (API.md "Retries, several devices, offline clients")
-- ---------------------------------------------------------------------------

-- Idempotency keys: one row per caller and key for 24 hours. The first
-- request claims the key (status null while it runs), its answer is kept
-- when it ends (not a 5xx: then the key is released for another try), and
-- a repeat with the same method, path and body gets that answer again.
create table idempotency_keys (
    caller_id    uuid not null references profiles (id) on delete cascade,
    key          text not null,
    request_hash bytea not null,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz not null default now(),
    completed_at timestamptz,
    primary key (caller_id, key),
    constraint idempotency_keys_key_visible_ascii check (key ~ '^[!-~]{1,255}$'),
    constraint idempotency_keys_answered check ((status is null) = (completed_at is null))
);

-- the timer's purge of expired keys
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- Claims a key for a request, or says what became of an earlier one:
-- 'claimed' (go ahead; an expired key is claimed anew), 'mismatch' (the key
-- went with another request), 'in_progress' (the first has no answer yet),
-- or 'replay' with the stored answer. Concurrent claims of one key queue on
-- its row: exactly one is 'claimed'.
--
-- The claim and the answer commit without waiting for the WAL flush
-- (synchronous_commit off, for their own transactions only): the request's
-- work commits synchronously in between, which flushes the claim with it,
-- so a claim is never lost once its work is durable. A crash right after
-- the work may lose the stored answer: the key then answers 409 (in
-- progress) until it expires, and never does the work twice.
create function claim_idempotency_key(
    p_caller uuid, p_key text, p_request_hash bytea, p_ttl interval,
    out outcome text, out status integer, out content_type text, out location text, out body bytea)
    language plpgsql
as $$
declare
    v_row idempotency_keys%rowtype;
begin
    perform set_config('synchronous_commit', 'off', true);
    insert into idempotency_keys as k (caller_id, key, request_hash)
    values (p_caller, p_key, p_request_hash)
    on conflict (caller_id, key) do update
       set request_hash = excluded.request_hash, status = null, content_type = null, location = null,
           body = null, created_at = now(), completed_at = null
     where k.created_at <= now() - p_ttl
    returning k.* into v_row;
    if found then
        outcome := 'claimed';
        return;
    end if;

    select * into v_row from idempotency_keys k where k.caller_id = p_caller and k.key = p_key;
    if v_row.request_hash <> p_request_hash then
        outcome := 'mismatch';
    elsif v_row.status is null then
        outcome := 'in_progress';
    else
        outcome := 'replay';
        status := v_row.status;
        content_type := v_row.content_type;
        location := v_row.location;
        body := v_row.body;
    end if;
end;
$$;

-- Keeps the first request's answer for its repeats (see above for why it
-- does not wait for the WAL flush).
create function complete_idempotency_key(
    p_caller uuid, p_key text, p_status integer, p_content_type text, p_location text, p_body bytea)
    returns void
    language plpgsql
as $$
begin
    perform set_config('synchronous_commit', 'off', true);
    update idempotency_keys
       set status = p_status, content_type = p_content_type, location = p_location, body = p_body,
           completed_at = now()
     where caller_id = p_caller and key = p_key and status is null;
end;
$$;

-- ---------------------------------------------------------------------------
-- Delta sync of a person's time logs (GET /api/me/time-logs?since=)
-- ---------------------------------------------------------------------------
--
-- written_xid is the transaction that last wrote a log (inserted it, or
-- closed its segment). A reader is given only logs of transactions older
-- than its snapshot's xmin, which have all ended: a transaction that
-- commits later, even with earlier timestamps, has a larger id than any
-- the reader was given, so a cursor (written_xid, id) never skips it.
-- Existing logs count as written at the beginning of time.
alter table time_logs add column written_xid xid8 not null default '1';
alter table time_logs alter column written_xid set default pg_current_xact_id();

create index time_logs_sync_idx on time_logs (user_id, written_xid, id) where ended_at is not null;

create function time_logs_stamp_write() returns trigger
    language plpgsql
as $$
begin
    new.written_xid := pg_current_xact_id();
    return new;
end;
$$;

create trigger time_logs_stamp_write before update on time_logs
    for each row execute function time_logs_stamp_write();

-- ---------------------------------------------------------------------------
-- Exact keyset cursors for GET /api/sessions
-- ---------------------------------------------------------------------------
-- The API shows timestamps to the millisecond; a session's created_at is
-- kept so, like a notification's, so the (created_at, id) of an item is an
-- exact cursor.
alter table sessions alter column created_at set default date_trunc('milliseconds', now());
update sessions set created_at = date_trunc('milliseconds', created_at)
 where created_at <> date_trunc('milliseconds', created_at);

create index sessions_participant_idx on session_participants (user_id, session_id);
