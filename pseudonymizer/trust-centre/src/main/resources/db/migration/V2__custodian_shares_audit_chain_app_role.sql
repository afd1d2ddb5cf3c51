-- Re-identification needs both custodians' shares (optout.pseudonymizer.reidentify.RequestSeal): each
-- request has its own key pair, whose private key is stored only under the requester's release secret,
-- and each approval stores its custodian's share encrypted to that key pair.
alter table reidentification_request
  add column request_public_key bytea,
  add column sealed_private_key bytea;
alter table reidentification_approval
  add column share_slot   smallint check (share_slot in (1, 2)),
  add column sealed_share bytea;

-- Sealed values may only be erased (when the request is closed), never replaced.
create function reidentification_seal_erase_only() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'reidentification_request' then
    if new.sealed_private_key is not null and new.sealed_private_key is distinct from old.sealed_private_key
        or new.request_public_key is distinct from old.request_public_key then
      raise exception 'a request''s seal can only be erased';
    end if;
  elsif new.sealed_share is not null and new.sealed_share is distinct from old.sealed_share
      or new.share_slot is distinct from old.share_slot or new.custodian <> old.custodian
      or new.request_id <> old.request_id or new.approved_at <> old.approved_at then
    raise exception 'an approval''s sealed share can only be erased';
  end if;
  return new;
end
$$;
create trigger reidentification_request_seal before update on reidentification_request
  for each row execute function reidentification_seal_erase_only();
create trigger reidentification_approval_seal before update on reidentification_approval
  for each row execute function reidentification_seal_erase_only();

-- The audit events as a hash chain (optout.pseudonymizer.reidentify.AuditChain): every new event has the
-- next sequence number and a hash over the previous event's hash and its own fields. Events from before
-- this migration stay unchained; the check is NOT VALID so that it binds every new row only.
alter table audit_event
  add column chain_sequence bigint unique,
  add column chain_hash     bytea;
alter table audit_event add constraint audit_event_chained
  check (chain_sequence is not null and chain_hash is not null) not valid;

-- The service connects as the application role: it owns nothing, so it can neither drop the triggers
-- nor alter the tables; it may read and insert, and update only what its steps change.
do $$
begin
  execute format('grant connect on database %I to ${app_role}', current_database());
end
$$;
grant usage on schema public to ${app_role};
grant select, insert on reidentification_request, reidentification_approval, audit_event to ${app_role};
grant update (status, updated_at, sealed_private_key) on reidentification_request to ${app_role};
grant update (sealed_share) on reidentification_approval to ${app_role};
grant usage on sequence audit_event_id_seq to ${app_role};
grant select on flyway_schema_history to ${app_role};
