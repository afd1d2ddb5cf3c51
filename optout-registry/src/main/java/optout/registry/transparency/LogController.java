package optout.registry.transparency;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Base64;
import java.util.List;
import optout.platform.security.ApiAuthorization;
import optout.registry.event.EventLeaf;
import optout.registry.event.store.EventStore;
import optout.registry.log.ConsistencyProof;
import optout.registry.log.Hash;
import optout.registry.log.InclusionProof;
import optout.registry.log.MerkleLog;
import optout.registry.record.RecordStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The transparency log as outsiders verify it. Checkpoints, the verifier key and consistency proofs are
 * public: anyone can check that the log only grows. Leaves and inclusion proofs are for auditors (a
 * citizen gets the proofs of their own events with their status).
 */
@RestController
@Validated
@Tag(name = "transparency log")
class LogController {

  static final String LOG = "/api/v1/log";

  record Proof(long treeSize, List<String> path) {}

  record Leaf(long index, String leaf, String leafHash) {}

  private final CheckpointStore checkpoints;
  private final PublishedCheckpoints published;
  private final MerkleLog merkle;
  private final RegistryLogKeys keys;
  private final EventStore events;
  private final RecordStore records;

  LogController(CheckpointStore checkpoints, PublishedCheckpoints published, MerkleLog merkle, RegistryLogKeys keys, EventStore events,
      RecordStore records) {
    this.checkpoints = checkpoints;
    this.published = published;
    this.merkle = merkle;
    this.keys = keys;
    this.events = events;
    this.records = records;
  }

  @GetMapping(value = LOG + "/checkpoint", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "The latest signed checkpoint (C2SP tlog-checkpoint in a signed note; with a witness, the newest one it"
      + " cosigned, its cosignature in the same note); size 0 until the first filing")
  String latest() {
    // Only in the moment between the registry's first start and its sequencer's first run (checkpoint 0),
    // or, with a witness, until the witness cosigned a first checkpoint.
    return published.latest().map(CheckpointStore.StoredCheckpoint::signedNote)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, published.witnessed()
            ? "The witness has cosigned no checkpoint of the log yet" : "The log has no checkpoint yet"));
  }

  @GetMapping(value = LOG + "/checkpoints/{size}", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "The signed checkpoint of a tree size, with the witness's cosignature if it cosigned that size")
  String checkpoint(@PathVariable @Min(0) long size) {
    return published.bySize(size).map(CheckpointStore.StoredCheckpoint::signedNote)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No checkpoint was signed at this size"));
  }

  @GetMapping(value = LOG + "/verifier-key", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "The key that verifies checkpoints and snapshot manifests (golang.org/x/mod/sumdb/note encoding)")
  String verifierKey() {
    return keys.verifier().verifierKey() + "\n";
  }

  @GetMapping(LOG + "/consistency")
  @Operation(summary = "A consistency proof between two published tree sizes (RFC 9162 2.1.4; empty from size 0)")
  Proof consistency(@RequestParam @Min(0) long from, @RequestParam @Min(0) long to) {
    long published = publishedSize();
    if (from > to || to > published) {
      throw new IllegalArgumentException("Cannot prove consistency: sizes must satisfy 0 <= from <= to <= " + published);
    }
    ConsistencyProof proof = merkle.consistencyProof(from, to);
    return new Proof(to, base64(proof.path()));
  }

  @GetMapping(LOG + "/inclusion")
  @Operation(summary = "An inclusion proof of a leaf in a published tree size (auditors)")
  Proof inclusion(@RequestParam @Min(0) long index, @RequestParam @Min(1) long size) {
    if (index >= size || size > publishedSize()) {
      throw new IllegalArgumentException("Cannot prove inclusion: the index must lie below the size, and the size must be published");
    }
    InclusionProof proof = merkle.inclusionProof(index, size);
    return new Proof(size, base64(proof.path()));
  }

  @GetMapping(LOG + "/leaves")
  @Operation(summary = "Leaves [start, start+count) in log order, as their exact bytes: events and records (auditors)")
  List<Leaf> leaves(@RequestParam @Min(0) long start, @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int count) {
    long end = Math.min(start + count, merkle.size());
    java.util.SortedMap<Long, byte[]> leaves = new java.util.TreeMap<>();
    events.logged(start, end).forEach(stored -> leaves.put(stored.logIndex().orElseThrow(), EventLeaf.encode(stored.event())));
    records.logged(start, end).forEach(stored -> leaves.put(stored.logIndex().orElseThrow(), stored.leaf()));
    return leaves.entrySet().stream().map(leaf -> new Leaf(leaf.getKey(), Base64.getEncoder().encodeToString(leaf.getValue()),
        optout.registry.log.MerkleHashing.leafHash(leaf.getValue()).base64())).toList();
  }

  private long publishedSize() {
    return checkpoints.latest().map(CheckpointStore.StoredCheckpoint::treeSize).orElse(0L);
  }

  static List<String> base64(List<Hash> path) {
    return path.stream().map(Hash::base64).toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization logAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, LOG + "/checkpoint", LOG + "/checkpoints/*", LOG + "/verifier-key", LOG + "/consistency").permitAll()
          .requestMatchers(HttpMethod.GET, LOG + "/inclusion", LOG + "/leaves").hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
