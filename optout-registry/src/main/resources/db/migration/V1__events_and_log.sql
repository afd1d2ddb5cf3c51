-- The registry's authority: events, append-only; the transparency log over them; the current-state
-- projection. Run by the owner role; the application connects as ${app_role}, which may only read and
-- insert where the log and events are concerned.

-- Every filing, exactly as it was accepted. Never updated, never deleted.
create table registry_event (
  seq               bigint generated always as identity primary key,
  id                uuid        not null unique,
  type              text        not null check (type in ('opt-out-filed', 'opt-out-withdrawn', 'scopes-changed')),
  person            bigint      not null,
  person_salt       bytea       not null check (length(person_salt) = 16),
  person_id_sealed  bytea       not null,
  scopes            text[]      not null check (cardinality(scopes) > 0),
  channel           text        not null check (channel in ('counter', 'online', 'proxy')),
  proxy_relation    text,
  proxy_evidence    text,
  document_reference text       not null,
  document_sha256   text        not null check (document_sha256 ~ '^[0-9a-f]{64}$'),
  effective_at      timestamptz not null,
  recorded_at       timestamptz not null,
  filed_by          text        not null,
  filed_by_subject  text        not null,
  idempotency_key   text        not null unique,
  request_sha256    bytea       not null check (length(request_sha256) = 32),
  -- HMAC of the leaf under the registry's row key: a row inserted behind the application's back has none
  row_mac           bytea       not null check (length(row_mac) = 32),
  -- coarse facets for the public statistics only (sex and county of registration from the ID's own
  -- letters, a five-year age band if the filer gave one)
  stat_sex          text        not null check (stat_sex in ('female', 'male', 'unknown')),
  stat_county       text        not null,
  stat_age_band     text        not null,
  check ((channel = 'proxy') = (proxy_relation is not null and proxy_evidence is not null))
);
create index registry_event_person on registry_event (person, seq);
create index registry_event_recorded on registry_event (recorded_at);

-- The log: leaf i is the event in log_leaf.log_index = i. Assigned by the sequencer, never changed.
create table log_leaf (
  log_index  bigint primary key check (log_index >= 0),
  event_seq  bigint not null unique references registry_event (seq),
  leaf_hash  bytea  not null check (length(leaf_hash) = 32)
);

-- Hashes of every complete subtree (level 0 = leaf hashes): proofs in O(log n) reads.
create table log_node (
  level  smallint not null check (level >= 0 and level < 64),
  index  bigint   not null check (index >= 0),
  hash   bytea    not null check (length(hash) = 32),
  primary key (level, index)
);

-- Signed checkpoints (C2SP tlog-checkpoint, signed note), one per published tree size.
create table log_checkpoint (
  tree_size   bigint      primary key check (tree_size > 0),
  root_hash   bytea       not null check (length(root_hash) = 32),
  signed_note text        not null,
  created_at  timestamptz not null
);

-- Alerts auditors see: abnormal opt-out surges, sequencer refusals.
create table registry_alert (
  id          bigint generated always as identity primary key,
  kind        text        not null,
  raised_at   timestamptz not null,
  detail      jsonb       not null
);

-- Current state per person: a projection, rebuilt from the events if in doubt.
create table person_state (
  person      bigint primary key,
  opted_out   jsonb  not null,   -- {"scope": "effective instant", ...}
  last_seq    bigint not null references registry_event (seq),
  sealed_id   bytea  not null
);

-- Append-only by trigger, for everyone who does not bypass triggers (the owner included).
create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger registry_event_append_only before update or delete on registry_event
  for each row execute function refuse_change();
create trigger registry_event_no_truncate before truncate on registry_event
  for each statement execute function refuse_change();
create trigger log_leaf_append_only before update or delete on log_leaf
  for each row execute function refuse_change();
create trigger log_leaf_no_truncate before truncate on log_leaf
  for each statement execute function refuse_change();
create trigger log_node_append_only before update or delete on log_node
  for each row execute function refuse_change();
create trigger log_node_no_truncate before truncate on log_node
  for each statement execute function refuse_change();
create trigger log_checkpoint_append_only before update or delete on log_checkpoint
  for each row execute function refuse_change();
create trigger log_checkpoint_no_truncate before truncate on log_checkpoint
  for each statement execute function refuse_change();
create trigger registry_alert_append_only before update or delete on registry_alert
  for each row execute function refuse_change();

-- And by grants: the application role can read and insert, and update only the projection.
do $$
begin
  execute format('grant connect on database %I to ${app_role}', current_database());
end
$$;
grant usage on schema public to ${app_role};
grant select, insert on registry_event, log_leaf, log_node, log_checkpoint, registry_alert to ${app_role};
grant select, insert, update on person_state to ${app_role};
grant usage on all sequences in schema public to ${app_role};
-- Which migrations ran is no secret (health checks and the platform's contract test read it).
grant select on flyway_schema_history to ${app_role};
