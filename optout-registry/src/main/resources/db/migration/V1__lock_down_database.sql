-- The service's schema starts here, owned by the role that runs the migrations. Nobody else may
-- connect or create objects until a later migration grants it (e.g. an append-only application role).
revoke create on schema public from public;
do $$
begin
  execute format('revoke all on database %I from public', current_database());
end
$$;
