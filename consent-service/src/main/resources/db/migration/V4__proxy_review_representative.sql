-- Issue #14, representatives are checked before anything counts. The representative's own identity is
-- recorded with the filing (masked as on the form; online also their account), and an online proxy
-- filing is held for a clerk's review: it has no outbox row, so nothing reaches the registry, until a
-- clerk accepts it; the acceptance writes the outbox row in the same transaction.

alter table filing
  add column representative_masked_id text check (representative_masked_id ~ '^[A-Z]\*{6}[0-9]{3}$'),
  -- the representative's Keycloak subject when they filed online themselves; null at the counter
  add column representative_subject text;
-- filings from before V4 have no recorded representative: only new rows are held to it
alter table filing add constraint filing_representative_identity_check
  check ((representative_relation is null) = (representative_masked_id is null)) not valid;

-- One row for each online proxy filing. The registry request (it holds the national ID) waits here,
-- AES-GCM under the outbox key, until the decision: accepted moves it to the outbox, rejected drops it.
create table proxy_review (
  filing_id       text        primary key references filing (filing_id),
  status          text        not null check (status in ('pending', 'accepted', 'rejected')),
  payload_sealed  bytea,
  held_at         timestamptz not null,
  decided_by      text,
  decided_at      timestamptz,
  reason          text        check (length(reason) between 1 and 500),
  check ((status = 'pending') = (payload_sealed is not null)),
  check ((status = 'pending') = (decided_by is null)),
  check ((status = 'pending') = (decided_at is null)),
  check ((status = 'rejected') = (reason is not null))
);
create index proxy_review_pending on proxy_review (held_at) where status = 'pending';

grant select, insert on proxy_review to ${app_role};
grant update (status, payload_sealed, decided_by, decided_at, reason) on proxy_review to ${app_role};

-- A decision is made once: the grants let the service decide a pending review, and this trigger keeps a
-- decided one as decided (an application-role insider cannot turn a rejection into an acceptance, or
-- reopen a review), for everyone who does not bypass triggers.
create function proxy_review_decided_once() returns trigger language plpgsql as $$
begin
  if old.status <> 'pending' then
    raise exception 'proxy review of % was decided (%): a decision is not changed', old.filing_id, old.status
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;
create trigger proxy_review_decided_once before update on proxy_review
  for each row execute function proxy_review_decided_once();
