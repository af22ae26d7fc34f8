-- After every migration run (a Flyway callback): when the migrations ran as a
-- role that owns the schema (DATABASE_MIGRATION_URL) and the application
-- connects as another (LOCKIN_DB_APP_ROLE), that role gets what the
-- application needs and nothing more: reading and writing rows, the
-- sequences of identity columns, and the functions (the triggers run as the
-- writer). It cannot create, alter or drop anything: the schema public
-- grants CREATE to its owner alone (PostgreSQL 15's default; on older
-- servers revoked here when the migrations' role owns the schema, else a
-- warning says what to do). Run each time, so objects of new migrations are
-- granted too. With one role for both (development, tests), nothing to do.
do $grants$
declare
    v_role text := '${lockin_app_role}';
begin
    if v_role = '' or v_role = current_user then
        return;
    end if;
    begin
        revoke create on schema public from public;
    exception when insufficient_privilege then
        raise warning 'schema public: only its owner may revoke CREATE from PUBLIC (PostgreSQL 14 and older): '
            'run "revoke create on schema public from public" as its owner, so the application''s role % cannot create tables', v_role;
    end;
    execute format('grant usage on schema public to %I', v_role);
    execute format('grant select, insert, update, delete on all tables in schema public to %I', v_role);
    execute format('revoke all on table flyway_schema_history from %I', v_role);
    execute format('grant usage, select on all sequences in schema public to %I', v_role);
    execute format('grant execute on all functions in schema public to %I', v_role);
end
$grants$;
