-- The registry's transparency log as this service saw it. Insert-only for the application role, like the
-- filings: what was verified once stays as it was verified.

-- Every checkpoint this service verified that was newer than all before; the newest is what every later
-- one must extend by a consistency proof.
create table registry_checkpoint_seen (
  tree_size   bigint      primary key check (tree_size >= 0),
  root_hash   bytea       not null check (length(root_hash) = 32),
  signed_note text        not null,
  seen_at     timestamptz not null
);

-- A delivered filing's place in the log: its leaf, proven included in a verified checkpoint, and found to
-- state this filing's event ID, kind and sealed form's SHA-256.
create table filing_log_proof (
  filing_id         text        primary key references filing (filing_id),
  registry_event_id uuid        not null,
  log_index         bigint      not null check (log_index >= 0),
  tree_size         bigint      not null check (tree_size > log_index),
  leaf_hash         text        not null check (leaf_hash ~ '^[A-Za-z0-9+/]{43}=$'),
  checkpoint        text        not null,
  verified_at       timestamptz not null
);

-- What did not verify: a receipt that does not prove the filing, or a checkpoint of another history. Kept
-- for staff and auditors; a filing with a problem is not checked again automatically.
create table registry_log_problem (
  id              bigint      generated always as identity primary key,
  found_at        timestamptz not null,
  filing_id       text        references filing (filing_id),
  -- the checkpoint that did not verify or fit, if one did: a finding about it is kept once
  checkpoint_size bigint,
  checkpoint_root bytea       check (length(checkpoint_root) = 32),
  detail          text        not null
);
create index registry_log_problem_filing on registry_log_problem (filing_id);

grant select, insert on registry_checkpoint_seen, filing_log_proof, registry_log_problem to ${app_role};
