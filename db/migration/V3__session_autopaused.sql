-- The runaway guard (V4) tells a host that their session was paused for them.
-- On its own: a new enum label cannot be used in the transaction that adds it.
alter type notification_kind add value if not exists 'session_autopaused';
