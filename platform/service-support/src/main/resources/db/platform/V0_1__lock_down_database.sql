-- Every service's first migration, shared (service-support, location db/platform; versions below 1
-- are the platform's, a service's own migrations in db/migration start at V1).
-- The schema is owned by the role that runs the migrations. Nobody else may connect or create
-- objects until a later migration grants it (e.g. an append-only application role).
revoke create on schema public from public;
do $$
begin
  execute format('revoke all on database %I from public', current_database());
end
$$;
