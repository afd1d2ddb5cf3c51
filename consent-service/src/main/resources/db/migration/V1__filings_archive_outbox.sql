-- The consent service's records: the archive of sealed documents, the filings, and the outbox to the
-- registry. Run by the owner role; the service connects as ${app_role}, which may add documents and
-- filings but never change or delete them, and may only move an outbox row along.

-- Every document the service keeps, addressed by its SHA-256: sealed forms, receipts, evidence scans.
create table archived_document (
  sha256      text        primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  media_type  text        not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size        integer     not null check (size > 0),
  content     bytea       not null check (length(content) = size),
  stored_at   timestamptz not null
);

create table filing (
  filing_id            text        primary key check (filing_id ~ '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$'),
  -- the draft the filing was made from: a second submission of the same draft finds this row
  draft_id             uuid        not null unique,
  kind                 text        not null check (kind in ('opt-out', 'withdrawal')),
  channel              text        not null check (channel in ('counter', 'online')),
  -- HMAC of the national ID under the service's person-lookup key; the ID itself is never stored here
  person_lookup        bytea       not null check (length(person_lookup) = 32),
  masked_person_id     text        not null check (masked_person_id ~ '^[A-Z]\*{6}[0-9]{3}$'),
  scopes               text[]      not null check (cardinality(scopes) > 0),
  representative_relation text     check (representative_relation in
                                    ('parent-of-minor', 'guardian-of-ward', 'assistant-of-person-under-assistance')),
  evidence_type        text,
  evidence_sha256      text        references archived_document (sha256),
  -- how the clerk checked the signer's identity (counter), or 'keycloak-login' (online)
  identity_check       text        not null,
  filed_by_role        text        not null check (filed_by_role in ('clerk', 'citizen')),
  filed_by_subject     text        not null,
  signed_at            timestamptz not null,
  sealed_at            timestamptz not null,
  template_id          text        not null,
  template_version     integer     not null,
  template_sha256      text        not null check (template_sha256 ~ '^[0-9a-f]{64}$'),
  form_sha256          text        not null references archived_document (sha256),
  receipt_sha256       text        not null references archived_document (sha256),
  receipt_code         text        not null unique check (receipt_code ~ '^[A-Z2-7]{16}$'),
  check ((representative_relation is null) = (evidence_sha256 is null)),
  check ((representative_relation is null) = (evidence_type is null))
);
create index filing_person on filing (person_lookup);
create index filing_filer on filing (filed_by_subject);

-- One row a filing, written in the same transaction as the filing. The relay delivers it to the
-- registry under the filing ID as idempotency key, so a retry after a lost answer files nothing twice.
create table registry_outbox (
  filing_id         text        primary key references filing (filing_id),
  -- the registry request (it holds the national ID), AES-GCM under the service's outbox key;
  -- dropped once the registry has the filing
  payload_sealed    bytea       check (status = 'pending' or payload_sealed is null),
  status            text        not null check (status in ('pending', 'delivered', 'refused')),
  attempts          integer     not null default 0 check (attempts >= 0),
  next_attempt_at   timestamptz not null,
  last_error        text,
  created_at        timestamptz not null,
  delivered_at      timestamptz,
  registry_event_id uuid,
  check (status <> 'pending' or payload_sealed is not null),
  check ((status = 'delivered') = (delivered_at is not null))
);
create index registry_outbox_due on registry_outbox (next_attempt_at) where status = 'pending';

do $$
begin
  execute format('grant connect on database %I to ${app_role}', current_database());
end
$$;
grant usage on schema public to ${app_role};
grant select, insert on archived_document, filing to ${app_role};
grant select, insert on registry_outbox to ${app_role};
grant update (payload_sealed, status, attempts, next_attempt_at, last_error, delivered_at, registry_event_id)
  on registry_outbox to ${app_role};
grant select on flyway_schema_history to ${app_role};
