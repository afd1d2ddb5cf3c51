-- Item 3 of issue 15: a request names the extract its pseudonyms come from (by its signed manifest) and the
-- warehouse key version under them; layer 1 is reversed with exactly that version. Requests from before
-- have neither and are never resolved (refused as WAREHOUSE_KEY_VERSION_UNKNOWN).
alter table reidentification_request
  add column extract_id            text,
  add column warehouse_key_version integer check (warehouse_key_version >= 1),
  add column manifest_sha256       text;
