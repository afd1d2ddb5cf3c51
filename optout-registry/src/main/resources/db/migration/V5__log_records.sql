-- What a snapshot's exclusion set depends on besides the events is logged too, so that anyone holding the log can
-- recompute it: the scope rules in force (which scopes exclude a person from which purpose, which purposes a legal
-- exemption overrides), logged whenever the registry starts with rules other than the last logged, and every auditor's
-- grant or revocation of an exemption. A leaf is now an event or such a record.

-- A record, exactly as its leaf reads (canonical UTF-8 text). Never updated, never deleted.
create table log_record (
  seq                 bigint generated always as identity primary key,
  kind                text        not null check (kind in ('scope-rules', 'exemption-decision')),
  leaf                bytea       not null check (length(leaf) between 1 and 65536),
  -- the decision this record logs (exemption decisions only; the register still reads exemption_decision)
  exemption_decision  bigint      unique references exemption_decision (id),
  recorded_at         timestamptz not null,
  -- HMAC of the leaf under the registry's row key, as for events: a row inserted behind its back has none
  row_mac             bytea       not null check (length(row_mac) = 32),
  check ((kind = 'exemption-decision') = (exemption_decision is not null))
);

alter table log_leaf alter column event_seq drop not null;
alter table log_leaf add column record_seq bigint unique references log_record (seq);
alter table log_leaf add constraint log_leaf_one_entry check ((event_seq is null) <> (record_seq is null));

create trigger log_record_append_only before update or delete on log_record
  for each row execute function refuse_change();
create trigger log_record_no_truncate before truncate on log_record
  for each statement execute function refuse_change();

grant select, insert on log_record to ${app_role};
grant usage on all sequences in schema public to ${app_role};
