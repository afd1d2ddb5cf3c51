-- Cosignatures of the registry's checkpoints by its witness (C2SP tlog-cosignature), exactly as the witness
-- returned them. The relay writes them after the witness checked the checkpoint's consistency with the last
-- one it cosigned; served checkpoints carry them. Append-only like the checkpoints they belong to.
create table log_cosignature (
  tree_size       bigint      not null references log_checkpoint (tree_size),
  witness_key     text        not null,   -- the witness's verifier key (<name>+<key ID>+<base64>), public
  signature_line  text        not null check (signature_line like '— % %' and right(signature_line, 1) = E'\n'),
  cosigned_at     timestamptz not null,   -- the time the cosignature states
  received_at     timestamptz not null,
  primary key (tree_size, witness_key)
);
create index log_cosignature_by_witness on log_cosignature (witness_key, tree_size desc);

create trigger log_cosignature_append_only before update or delete on log_cosignature
  for each row execute function refuse_change();
create trigger log_cosignature_no_truncate before truncate on log_cosignature
  for each statement execute function refuse_change();

grant select, insert on log_cosignature to ${app_role};
