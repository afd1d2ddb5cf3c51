-- Warehouse key versions. The registry's pseudonyms are layer-1 pseudonyms under one warehouse key version;
-- after a rotation the registry re-keys itself at start (optout.registry.identity.WarehouseKeyVersions):
-- the log keeps every event as it was filed, and these tables say under which version each pseudonym is
-- and which pseudonym each filed one became.

-- The version an event's person pseudonym was made under. Null for events filed before versions were
-- recorded: those are under the registry's first version (the lowest in registry_key_version), which the
-- registry determined at its first start from a sealed ID. Events themselves never change.
alter table registry_event add column person_key_version integer check (person_key_version > 0);

-- Every warehouse key version the registry has worked under; the newest is the one it files, keeps its
-- current state and makes exclusion snapshots under.
create table registry_key_version (
  version     integer     primary key check (version > 0),
  adopted_at  timestamptz not null,
  persons     bigint      not null check (persons >= 0)   -- persons re-keyed into it (0 for the first)
);

-- For every pseudonym the events carry under an older version, the same person's pseudonym under a newer
-- one: how the events of the log still find their person after a re-key. Made from the event's sealed ID
-- (opened with the identity key) by the re-key; its MAC under the registry's row key tells a row inserted
-- behind the registry's back.
create table person_rekey (
  to_version    integer not null references registry_key_version (version),
  from_version  integer not null check (from_version > 0 and from_version < to_version),
  from_person   bigint  not null,
  to_person     bigint  not null,
  row_mac       bytea   not null check (length(row_mac) = 32),
  primary key (to_version, from_version, from_person)
);
create index person_rekey_to_person on person_rekey (to_version, to_person);

create trigger registry_key_version_append_only before update or delete on registry_key_version
  for each row execute function refuse_change();
create trigger registry_key_version_no_truncate before truncate on registry_key_version
  for each statement execute function refuse_change();
create trigger person_rekey_append_only before update or delete on person_rekey
  for each row execute function refuse_change();
create trigger person_rekey_no_truncate before truncate on person_rekey
  for each statement execute function refuse_change();

-- The current state is under one version at a time; 0 until the first start after this migration names
-- the version of the rows already there.
alter table person_state add column key_version integer not null default 0 check (key_version >= 0);
alter table person_state drop constraint person_state_pkey;
alter table person_state add primary key (key_version, person);

grant select, insert on registry_key_version, person_rekey to ${app_role};
