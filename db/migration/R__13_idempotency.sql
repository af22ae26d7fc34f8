-- Idempotency keys: a retried write (same caller, key, method, path and
-- body) gets the first answer again instead of being done twice, in the
-- write's own transaction (the table idempotency_keys, V1__schema.sql).

-- Claims a key for the calling transaction's request, or says what became of
-- an earlier one: 'claimed' (do the work in this transaction; an expired key
-- is claimed anew), 'mismatch' (the key went with another request),
-- 'in_progress' (the first request has not ended within p_wait), or 'replay'
-- with the kept answer. Only a 'claimed' caller goes on with its transaction.
create or replace function claim_idempotency_key(
    p_caller uuid, p_key text, p_request_hash bytea, p_ttl interval, p_wait interval,
    out outcome text, out status integer, out content_type text, out location text, out body bytea)
    language plpgsql
as $$
declare
    v_lock_timeout text := current_setting('lock_timeout');
    v_row idempotency_keys%rowtype;
begin
    perform set_config('lock_timeout', (floor(extract(epoch from p_wait) * 1000))::bigint::text, true);
    begin
        insert into idempotency_keys as k (caller_id, key, request_hash)
        values (p_caller, p_key, p_request_hash)
        on conflict (caller_id, key) do update
           set request_hash = excluded.request_hash, status = null, content_type = null, location = null,
               body = null, created_at = now(), completed_at = null
         where k.created_at <= now() - p_ttl
        returning k.* into v_row;
    exception when lock_not_available then
        perform set_config('lock_timeout', v_lock_timeout, true);
        outcome := 'in_progress';
        return;
    end;
    perform set_config('lock_timeout', v_lock_timeout, true);
    if v_row.caller_id is not null then
        outcome := 'claimed';
        return;
    end if;

    select * into v_row from idempotency_keys k where k.caller_id = p_caller and k.key = p_key;
    if v_row.request_hash <> p_request_hash then
        outcome := 'mismatch';
    elsif v_row.status is null then
        outcome := 'in_progress';  -- not reached while claims and answers share a transaction
    else
        outcome := 'replay';
        status := v_row.status;
        content_type := v_row.content_type;
        location := v_row.location;
        body := v_row.body;
    end if;
end;
$$;

-- Keeps a request's answer for its repeats. In the request's transaction it
-- first checks the deferred constraints (so a violation fails here, as an
-- error the application turns into a problem, and not at the commit after
-- the answer was made); after the work rolled back (a 4xx answer) it is
-- called in a transaction of its own and inserts the key with its answer,
-- unless a repeat has claimed the key meanwhile.
create or replace function keep_idempotent_answer(
    p_caller uuid, p_key text, p_request_hash bytea,
    p_status integer, p_content_type text, p_location text, p_body bytea)
    returns void
    language plpgsql
as $$
begin
    set constraints all immediate;
    insert into idempotency_keys as k
           (caller_id, key, request_hash, status, content_type, location, body, completed_at)
    values (p_caller, p_key, p_request_hash, p_status, p_content_type, p_location, p_body, now())
    on conflict (caller_id, key) do update
       set status = excluded.status, content_type = excluded.content_type, location = excluded.location,
           body = excluded.body, completed_at = excluded.completed_at
     where k.status is null and k.request_hash = excluded.request_hash;
end;
$$;
