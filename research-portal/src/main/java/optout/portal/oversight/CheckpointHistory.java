package optout.portal.oversight;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import optout.portal.registrylog.RegistryLogProperties;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.NoteException;
import optout.registry.log.NoteSignature;
import optout.registry.log.SignedNote;
import org.springframework.stereotype.Component;

/**
 * The registry checkpoints the platform relied on, oldest first: the one each delivered extract's manifest
 * names, those propagations ran against, and the registry's latest published one. Each is fetched from the
 * registry's public log and checked with registry-formats' verifier: the log's signature under the configured
 * key, the configured witness's cosignature, and every cosigner named. The page then checks, with its own
 * JavaScript, that each checkpoint is consistent with the one before (RFC 9162 consistency proofs).
 */
@Component
class CheckpointHistory {

  /** One checkpoint: {@code seenIn} says where the platform met it; {@code problem} why it is not verified. */
  record Entry(long size, String origin, String rootHash, boolean logSignatureVerified, boolean witnessCosignatureVerified,
      List<String> cosigners, List<String> seenIn, String signedNote, String problem) {}

  private final RegistryLogProperties registry;
  private final DeliveredExtracts extracts;
  private final RegistryAudit registryAudit;
  private final ServiceClient client;
  private final CheckpointVerifier log;
  private final CheckpointVerifier witnessed;

  CheckpointHistory(RegistryLogProperties registry, DeliveredExtracts extracts, RegistryAudit registryAudit, OversightProperties properties) {
    this.registry = registry;
    this.extracts = extracts;
    this.registryAudit = registryAudit;
    this.client = new ServiceClient(properties.timeout());
    this.log = registry.logVerifier();
    this.witnessed = registry.witnessedVerifier();
  }

  List<Entry> entries() {
    Map<Long, List<String>> seen = new TreeMap<>();
    for (DeliveredExtracts.Delivered extract : extracts.all()) {
      if (extract.checkpointSize() != null) {
        seen.computeIfAbsent(extract.checkpointSize(), size -> new ArrayList<>()).add("extract " + extract.extractId() + " (" + extract.project() + ")");
      }
    }
    for (long size : extracts.propagationCheckpoints()) {
      List<String> where = seen.computeIfAbsent(size, s -> new ArrayList<>());
      if (!where.contains("propagation")) {
        where.add("propagation");
      }
    }
    try {
      seen.computeIfAbsent(registryAudit.publishedSize(), size -> new ArrayList<>()).add("the registry's latest");
    } catch (AuditSource.SourceUnavailable e) {
      // the history still shows what the platform met; the latest is simply missing
    }
    List<Entry> entries = new ArrayList<>();
    seen.forEach((size, where) -> entries.add(entry(size, where)));
    return entries;
  }

  private Entry entry(long size, List<String> seenIn) {
    String note;
    try {
      note = new String(client.get(registry.url(), "/api/v1/log/checkpoints/" + size, null, 64 << 10), StandardCharsets.UTF_8);
    } catch (AuditSource.SourceUnavailable e) {
      return new Entry(size, null, null, false, false, List.of(), seenIn, null, "The registry's signed checkpoint could not be fetched (" + e.getMessage() + ").");
    }
    List<String> cosigners = new ArrayList<>();
    try {
      for (NoteSignature signature : SignedNote.parse(note).signatures()) {
        cosigners.add(signature.keyName());
      }
    } catch (NoteException e) {
      return new Entry(size, null, null, false, false, List.of(), seenIn, note, "The signed checkpoint is malformed.");
    }
    if (log == null) {
      return new Entry(size, null, null, false, false, cosigners, seenIn, note, "No registry log key is configured.");
    }
    Checkpoint checkpoint;
    try {
      checkpoint = log.verify(note);
    } catch (NoteException | IllegalArgumentException e) {
      return new Entry(size, null, null, false, false, cosigners, seenIn, note, "The registry's signature does not verify.");
    }
    boolean cosigned = false;
    String problem = checkpoint.size() == size ? null : "The registry answered a checkpoint of another size (" + checkpoint.size() + ").";
    if (witnessed == null) {
      problem = problem != null ? problem : "No witness key is configured.";
    } else {
      try {
        witnessed.verify(note);
        cosigned = true;
      } catch (NoteException | IllegalArgumentException e) {
        problem = problem != null ? problem : "The witness did not cosign this checkpoint.";
      }
    }
    return new Entry(checkpoint.size(), checkpoint.origin(), checkpoint.rootHash().base64(), true, cosigned, cosigners, seenIn, note, problem);
  }
}
