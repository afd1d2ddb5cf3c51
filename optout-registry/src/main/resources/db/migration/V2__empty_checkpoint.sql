-- An empty registry is a valid registry: the sequencer signs the checkpoint of the empty tree (size 0,
-- root SHA-256 of nothing, RFC 9162 MTH({})) at its first start, so that "nobody has opted out of anything
-- as of checkpoint 0" is a signed statement that consumers can rely on before the first filing.
alter table log_checkpoint drop constraint log_checkpoint_tree_size_check;
alter table log_checkpoint add constraint log_checkpoint_tree_size_check check (tree_size >= 0);
