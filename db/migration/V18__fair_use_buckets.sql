-- ---------------------------------------------------------------------------
-- Fair use: each caller's token buckets, shared by every instance
-- ---------------------------------------------------------------------------
--
-- Bucket4j's PostgreSQL engine keeps one row per caller and limit here (the
-- key names both, and the limit's quota and window, so a changed
-- LOCKIN_RATE_LIMITS starts fresh buckets); each request that counts locks
-- its row (SELECT ... FOR UPDATE) in a short transaction of its own, so the
-- instances of a deployment share the limits exactly. `state` is Bucket4j's
-- serialized bucket; `expires_at` (epoch milliseconds) is when the bucket is
-- full again and may be forgotten: the maintenance run deletes such rows.

create table fair_use_buckets (
    id         text primary key check (char_length(id) between 1 and 200),
    state      bytea,
    expires_at bigint
);

create index fair_use_buckets_expires_at_idx on fair_use_buckets (expires_at);

comment on table fair_use_buckets is
    'Per-caller token buckets of the fair-use limits (Bucket4j, PostgreSQL select-for-update engine).';
