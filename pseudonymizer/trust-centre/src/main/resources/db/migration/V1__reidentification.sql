-- Re-identification requests, their approvals, and the audit trail of every step.
create table reidentification_request (
  id              uuid primary key,
  requester       text        not null,
  idempotency_key text        not null,
  request_hash    text        not null,
  project         text        not null,
  pseudonyms      bigint[]    not null,
  legal_basis     text        not null,
  reason          text        not null,
  status          text        not null,
  requested_at    timestamptz not null,
  expires_at      timestamptz not null,
  updated_at      timestamptz not null,
  unique (requester, idempotency_key)
);
create index reidentification_request_open on reidentification_request (status, expires_at);

create table reidentification_approval (
  request_id  uuid        not null references reidentification_request (id),
  custodian   text        not null,
  approved_at timestamptz not null,
  primary key (request_id, custodian)
);

-- Append-only: nobody, the service included, may change or remove an audit event.
create table audit_event (
  id              bigserial   primary key,
  type            text        not null,
  request_id      uuid        not null,
  actor           text        not null,
  project         text        not null,
  pseudonym_count integer     not null,
  at              timestamptz not null,
  note            text        not null
);
create index audit_event_request on audit_event (request_id, id);

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit events are append-only';
end
$$;
create trigger audit_event_no_update_or_delete before update or delete on audit_event
  for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_is_append_only();
