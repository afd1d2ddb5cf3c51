package optout.demo.portal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import optout.demo.portal.PortalApi.StepFailed;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.NoteException;
import optout.registry.log.ProofException;
import optout.registry.log.ProofVerifier;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./optout demo}'s citizens, after the portal demo's extract, through the portal's citizen API only (what the
 * page {@code /citizen/} shows): {@code citizen-optout-demo}, one of the persons the warehouse demo's clerk filed an
 * opt-out of academic research for at the counter, sees it, checks the filing's inclusion proof here against the
 * checkpoint the registry signed and its witness cosigned (the pinned keys, as the services pin them), and finds the
 * extract that left them out; {@code citizen-included-demo}, a person of the extract's cohort who never opted out,
 * finds the extract that used their data. Either missing fails the demo.
 */
final class CitizenDemo {

  /** National ID A105160940 in the realm: the first person (by ID) of the generated cohort, whom the warehouse demo opts out. */
  static final String OPTED_OUT = "citizen-optout-demo";
  /** National ID Y270420961 in the realm: the last person (by ID) of the generated cohort, born 1953, never opted out. */
  static final String INCLUDED = "citizen-included-demo";
  static final String OVERVIEW = "/api/v1/citizen/overview";
  static final String USES = "/api/v1/citizen/uses";

  private final PortalApi api;
  private final PrintStream out;
  private final CheckpointVerifier checkpoints;

  /**
   * @param origin the registry log's origin
   * @param registryKey the registry log's verifier key (note format)
   * @param witnessKey the witness's cosignature verifier key
   */
  CitizenDemo(PortalApi api, PrintStream out, String origin, String registryKey, String witnessKey) {
    this.api = api;
    this.out = out;
    this.checkpoints = verifier(origin, registryKey, witnessKey);
  }

  static CheckpointVerifier verifier(String origin, String registryKey, String witnessKey) {
    try {
      return new CheckpointVerifier(origin, Ed25519NoteVerifier.fromVerifierKey(registryKey.strip()))
          .requiringCosignatures(List.of(Ed25519CosignatureVerifier.fromVerifierKey(witnessKey.strip())));
    } catch (RuntimeException e) {
      throw new StepFailed("the registry's or the witness's verifier key cannot be read: " + e.getMessage());
    }
  }

  /** Both citizens; {@code extractId} is the portal demo's delivered extract (academic research). */
  void run(String extractId) {
    out.println("\n== C1. " + OPTED_OUT + " signs in at " + api.portal() + "/citizen/ and sees their opt-out");
    JsonNode mine = api.get(OPTED_OUT, OVERVIEW).json();
    List<String> scopes = new ArrayList<>();
    mine.path("optedOut").forEach(s -> scopes.add(s.path("scope").asString("")));
    out.println("   opted out of: " + (scopes.isEmpty() ? "nothing" : String.join(", ", scopes)));
    if (!scopes.contains("academic-research")) {
      throw new StepFailed(OPTED_OUT + " has no opt-out of academic-research at the registry (did the warehouse demo's counter filings run?)");
    }
    JsonNode filing = null;
    for (JsonNode f : mine.path("filings")) {
      if (f.path("type").asString("").equals("opt-out-filed") && f.path("receipt").isObject()) {
        filing = f;
      }
    }
    if (filing == null) {
      throw new StepFailed(OPTED_OUT + "'s opt-out has no receipt yet (not in the log)");
    }
    out.println("   filing: " + filing.path("type").asString() + " of " + filing.path("scopes") + " at the " + filing.path("channel").asString()
        + ", effective " + filing.path("effectiveAt").asString() + ", log index " + filing.path("logIndex").asLong());
    out.println("   the portal's check of its checkpoint: registry signature "
        + filing.at("/receipt/checkpointCheck/registrySignatureVerified").asBoolean() + ", witness cosignature "
        + filing.at("/receipt/checkpointCheck/witnessCosignatureVerified").asBoolean());
    Checkpoint checkpoint = verifyReceipt(filing.get("receipt"));
    out.println("   verified here: leaf " + filing.at("/receipt/logIndex").asLong() + " is in the checkpoint of size " + checkpoint.size()
        + " (root " + checkpoint.rootHash().hex().substring(0, 16) + "...), signed by the registry and cosigned by its witness");

    out.println("\n== C2. ... and the extract that left them out");
    List<String> excluded = extractIds(mine.path("excludedReleases"));
    out.println("   excluded from " + mine.path("excludedFrom").asInt() + " release(s): " + String.join(", ", excluded));
    if (!excluded.contains(extractId)) {
      throw new StepFailed(OPTED_OUT + " does not see extract " + extractId + " among the releases that left them out");
    }
    if (extractIds(api.get(OPTED_OUT, USES).json().path("uses")).contains(extractId)) {
      throw new StepFailed(OPTED_OUT + " is shown as used by extract " + extractId + " although they opted out");
    }

    out.println("\n== C3. " + INCLUDED + " (in the cohort, never opted out) signs in and sees the extract that used their data");
    JsonNode theirs = api.get(INCLUDED, OVERVIEW).json();
    JsonNode used = api.get(INCLUDED, USES).json();
    if (!used.path("usageAvailable").asBoolean(false)) {
      throw new StepFailed("the portal cannot read the usage ledger (optout.portal.citizen.ledger-url, var/log/research-portal.log)");
    }
    JsonNode use = null;
    for (JsonNode u : used.path("uses")) {
      if (u.path("extractId").asString("").equals(extractId)) {
        use = u;
      }
    }
    if (use == null) {
      throw new StepFailed(INCLUDED + " does not see extract " + extractId + " among the extracts that used their data "
          + "(sees " + extractIds(used.path("uses")) + ")");
    }
    out.println("   used by extract " + extractId + " on " + use.path("usedOn").asString() + ": \"" + use.path("title").asString("") + "\", "
        + use.path("institution").asString("") + ", purpose " + use.path("purpose").asString() + ", legal basis: " + use.path("legalBasis").asString(""));
    out.println("   opted out of: " + (theirs.path("optedOut").isEmpty() ? "nothing" : theirs.path("optedOut").toString())
        + "; " + used.path("uses").size() + " extract(s) used their data in all");
  }

  /** The receipt's checkpoint verified with the pinned keys and its inclusion proof recomputed to that checkpoint's root. */
  Checkpoint verifyReceipt(JsonNode receipt) {
    Checkpoint checkpoint;
    try {
      checkpoint = checkpoints.verify(receipt.path("checkpoint").asString(""));
    } catch (NoteException | RuntimeException e) {
      throw new StepFailed("the filing's checkpoint does not verify with the registry's and the witness's keys: " + e.getMessage());
    }
    long treeSize = receipt.path("treeSize").asLong(-1);
    if (checkpoint.size() != treeSize) {
      throw new StepFailed("the receipt's tree size " + treeSize + " is not its checkpoint's " + checkpoint.size());
    }
    Hash leafHash = MerkleHashing.leafHash(Base64.getDecoder().decode(receipt.path("leaf").asString("")));
    if (!leafHash.base64().equals(receipt.path("leafHash").asString(""))) {
      throw new StepFailed("the receipt's leaf hash is not the hash of its leaf");
    }
    List<Hash> path = new ArrayList<>();
    receipt.path("inclusionProof").forEach(h -> path.add(Hash.fromBase64(h.asString())));
    try {
      ProofVerifier.verifyInclusion(leafHash, receipt.path("logIndex").asLong(-1), checkpoint.size(), path, checkpoint.rootHash());
    } catch (ProofException | RuntimeException e) {
      throw new StepFailed("the filing's inclusion proof does not lead to the witnessed checkpoint: " + e.getMessage());
    }
    return checkpoint;
  }

  private static List<String> extractIds(JsonNode rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.path("extractId").asString("")));
    return ids;
  }
}
