package optout.portal.oversight;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.ConsistencyProof;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import optout.registry.log.SignedNote;
import optout.registry.log.TreeHead;

/**
 * The registry as the oversight console reads it, on a loopback port: a real transparency log (RFC 9162 tree
 * from registry-formats) of a scope-rules leaf and event leaves in the registry's leaf formats, with the person
 * commitments' openings (and, after a key rotation, the re-key mapping), signed checkpoints cosigned by a
 * witness, a signed exclusion snapshot that the log recomputes to, alerts, and the public consistency proofs. The auditor-only endpoints answer 401 without a
 * bearer token and remember every Authorization header and query they were sent (the test checks the
 * auditor's token was relayed, and never in a URL). Format: optout-registry/README.md.
 */
public final class RegistryStandIn {

  public static final String ORIGIN = "registry.test/nhi-optout";
  public static final String PURPOSE = "academic-research";
  public static final int KEY_VERSION = 1;

  public final Ed25519NoteSigner logKey = Ed25519NoteSigner.generate(ORIGIN);
  public final Ed25519CosignatureSigner witnessKey = Ed25519CosignatureSigner.generate("witness.test");
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> queries = new CopyOnWriteArrayList<>();

  private final List<byte[]> leaves = new ArrayList<>();
  private final List<String> openings = new ArrayList<>();
  private final MerkleLog merkle = new MerkleLog(new InMemoryNodeStore());
  private final Map<Long, String> checkpoints = new HashMap<>();
  private final Map<Long, Checkpoint> trees = new HashMap<>();
  private final Map<Long, TreeSet<Long>> optedOutAt = new HashMap<>();
  private final Map<Long, Integer> versionAt = new HashMap<>();
  private TreeSet<Long> optedOut = new TreeSet<>();
  private final TreeSet<Long> filed = new TreeSet<>();
  private final List<String> rekeys = new ArrayList<>();
  private int keyVersion = KEY_VERSION;
  private final SecureRandom random = new SecureRandom();
  private long latest;
  private final HttpServer server;

  public RegistryStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/api/v1/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void stop() {
    server.stop(0);
  }

  /** Logs the scope rules: academic research is excluded by an opt-out of academic research. */
  public synchronized RegistryStandIn rules() {
    append(("nhi-optout-registry-scope-rules/1\nscope " + PURPOSE + " excluded-by " + PURPOSE + "\n"
        + "scope government-statistics excluded-by government-statistics\n").getBytes(StandardCharsets.UTF_8), null);
    return this;
  }

  /**
   * Logs an event of this warehouse pseudonym (under the current key version, see {@link #rotate()}) ({@code opt-out-filed}
   * or {@code opt-out-withdrawn}) of academic research.
   */
  public synchronized RegistryStandIn event(String type, long person) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    Instant now = Instant.now();
    String leaf = "nhi-optout-registry-event/1\nid " + UUID.randomUUID() + "\ntype " + type + "\nperson " + commitment(salt, person)
        + "\nscopes " + PURPOSE + "\nchannel counter\nproxy none\ndocument " + "ab".repeat(32) + "\neffective " + now + "\nrecorded " + now
        + "\nfiled-by consent-service\n";
    append(leaf.getBytes(StandardCharsets.UTF_8), "{\"index\":" + leaves.size() + ",\"person\":" + person + ",\"salt\":\""
        + HexFormat.of().formatHex(salt) + "\",\"keyVersion\":" + keyVersion + "}");
    filed.add(person);
    if (type.equals("opt-out-filed")) {
      optedOut.add(person);
    } else {
      optedOut.remove(person);
    }
    return this;
  }

  /**
   * A warehouse key rotation: from now on pseudonyms are under the next version, and the re-key mapping takes each
   * person who filed under the one before to the new version (here their pseudonym plus 10^12). Events stay as filed.
   * The stand-in rotates once.
   */
  public synchronized RegistryStandIn rotate() {
    if (keyVersion != KEY_VERSION) {
      throw new IllegalStateException("the stand-in rotates once");
    }
    keyVersion++;
    TreeSet<Long> mapped = new TreeSet<>();
    for (long person : filed) {
      rekeys.add("{\"fromVersion\": " + KEY_VERSION + ", \"fromPerson\": " + person + ", \"toVersion\": " + keyVersion + ", \"toPerson\": "
          + rekeyed(person) + "}\n");
    }
    optedOut.forEach(person -> mapped.add(rekeyed(person)));
    optedOut = mapped;
    filed.clear();
    return this;
  }

  /** A version 1 pseudonym under version 2. */
  public static long rekeyed(long person) {
    return person + 1_000_000_000_000L;
  }

  /** Signs (and the witness cosigns) a checkpoint of everything logged so far; it becomes the latest. Its size. */
  public synchronized long checkpoint() {
    TreeHead head = merkle.treeHead();
    Checkpoint checkpoint = Checkpoint.of(ORIGIN, head);
    checkpoints.put(head.size(), new CheckpointSigner(logKey).sign(checkpoint).withSignatures(List.of(witnessKey.cosign(checkpoint))).encoded());
    trees.put(head.size(), checkpoint);
    optedOutAt.put(head.size(), new TreeSet<>(optedOut));
    versionAt.put(head.size(), keyVersion);
    latest = head.size();
    return head.size();
  }

  public synchronized Checkpoint tree(long size) {
    return trees.get(size);
  }

  /** The exclusion snapshot's set at a checkpoint: its count and set hash, as an extract manifest names them. */
  public synchronized long count(long size) {
    return optedOutAt.get(size).size();
  }

  public synchronized String setSha256(long size) {
    return setHash(optedOutAt.get(size));
  }

  /** An extract manifest as the warehouse writes it, built against this checkpoint and its exclusion snapshot. */
  public synchronized String extractManifest(String extractId, long size) {
    return "{\"extractId\":\"" + extractId + "\",\"format\":\"nhi-optout-extract-manifest/2\",\"keys\":{\"warehouseKeyVersion\":" + versionAt.get(size)
        + "},\"persons\":{\"excluded\":2,\"inCohort\":60,\"included\":58},\"registry\":{\"checkpoint\":{\"origin\":\"" + ORIGIN
        + "\",\"rootHash\":\"" + trees.get(size).rootHash().base64() + "\",\"size\":" + size + "},\"exclusionSnapshot\":{\"count\":" + count(size)
        + ",\"fileSha256\":\"" + "cd".repeat(32) + "\",\"purpose\":\"" + PURPOSE + "\",\"setSha256\":\"" + setSha256(size) + "\"}}}";
  }

  private void append(byte[] leaf, String opening) {
    leaves.add(leaf);
    if (opening != null) {
      openings.add(opening);
    }
    merkle.append(MerkleHashing.leafHash(leaf));
  }

  private static String commitment(byte[] salt, long person) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("nhi-optout-person/1".getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(salt);
      sha.update(ByteBuffer.allocate(8).putLong(person).array());
      return HexFormat.of().formatHex(sha.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String setHash(TreeSet<Long> values) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (long value : values) {
        sha.update(ByteBuffer.allocate(8).putLong(value).array());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String snapshotManifest(long size) {
    Checkpoint tree = trees.get(size);
    String text = "nhi-optout-registry/exclusion-snapshot/2\npurpose " + PURPOSE + "\nexemption none\ncheckpoint " + ORIGIN + " " + size + " "
        + tree.rootHash().base64() + "\nwarehouse-key-version " + versionAt.get(size) + "\ncount " + count(size) + "\nset-sha256 " + setSha256(size)
        + "\nfile-sha256 " + "cd".repeat(32) + "\ncreated 2026-12-06T00:00:00Z\n";
    return SignedNote.sign(text, logKey).encoded();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      queries.add(raw);
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    boolean auditorsOnly = path.startsWith("/api/v1/log/leaves") || path.startsWith("/api/v1/log/openings") || path.startsWith("/api/v1/alerts")
        || path.startsWith("/api/v1/snapshots") || path.startsWith("/api/v1/log/rekeys");
    if (auditorsOnly) {
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        send(exchange, 401, "application/problem+json", "{\"status\":401}");
        return;
      }
      authorizations.add(authorization);
    }
    if (path.equals("/api/v1/log/checkpoint")) {
      send(exchange, 200, "text/plain", checkpoints.get(latest));
    } else if (path.startsWith("/api/v1/log/checkpoints/")) {
      String note = checkpoints.get(Long.parseLong(path.substring("/api/v1/log/checkpoints/".length())));
      send(exchange, note == null ? 404 : 200, "text/plain", note == null ? "not found" : note);
    } else if (path.equals("/api/v1/log/verifier-key")) {
      send(exchange, 200, "text/plain", logKey.verifierKey() + "\n");
    } else if (path.equals("/api/v1/log/consistency")) {
      long from = Long.parseLong(query.get("from"));
      long to = Long.parseLong(query.get("to"));
      if (from > to || to > latest) {
        send(exchange, 400, "application/problem+json", "{\"status\":400}");
        return;
      }
      ConsistencyProof proof = merkle.consistencyProof(from, to);
      send(exchange, 200, "application/json", "{\"treeSize\":" + to + ",\"path\":["
          + String.join(",", proof.path().stream().map(h -> "\"" + h.base64() + "\"").toList()) + "]}");
    } else if (path.equals("/api/v1/log/leaves")) {
      long start = Long.parseLong(query.get("start"));
      int count = Integer.parseInt(query.getOrDefault("count", "100"));
      List<String> out = new ArrayList<>();
      for (long i = start; i < Math.min(start + count, leaves.size()); i++) {
        byte[] leaf = leaves.get((int) i);
        out.add("{\"index\":" + i + ",\"leaf\":\"" + Base64.getEncoder().encodeToString(leaf) + "\",\"leafHash\":\""
            + MerkleHashing.leafHash(leaf).base64() + "\"}");
      }
      send(exchange, 200, "application/json", "[" + String.join(",", out) + "]");
    } else if (path.equals("/api/v1/log/openings")) {
      long start = Long.parseLong(query.get("start"));
      int count = Integer.parseInt(query.getOrDefault("count", "100"));
      List<String> out = openings.stream().filter(o -> {
        long index = Long.parseLong(o.substring("{\"index\":".length(), o.indexOf(',')));
        return index >= start && index < start + count;
      }).toList();
      send(exchange, 200, "application/json", "[" + String.join(",", out) + "]");
    } else if (path.equals("/api/v1/log/rekeys")) {
      String to = query.get("toVersion");
      send(exchange, 200, "application/x-ndjson", String.join("", rekeys.stream().filter(r -> to == null || r.contains("\"toVersion\": " + to + ","))
          .toList()));
    } else if (path.equals("/api/v1/alerts")) {
      send(exchange, 200, "application/json", "{\"page\":0,\"size\":500,\"total\":1,\"alerts\":[{\"id\":7,\"kind\":\"opt-out-surge\","
          + "\"raisedAt\":\"2026-12-05T03:00:00Z\",\"detail\":{\"day\":\"2026-12-04\",\"filings\":412,\"expected\":120}}]}");
    } else if (path.equals("/api/v1/snapshots") && exchange.getRequestMethod().equals("POST")) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      java.util.regex.Matcher checkpoint = java.util.regex.Pattern.compile("\"checkpoint\":([0-9]+)").matcher(body);
      long size = checkpoint.find() ? Long.parseLong(checkpoint.group(1)) : latest;
      if (!trees.containsKey(size) || !body.contains("\"purpose\":\"" + PURPOSE + "\"")) {
        send(exchange, 404, "application/problem+json", "{\"status\":404}");
        return;
      }
      String manifest = snapshotManifest(size);
      send(exchange, 200, "application/json", "{\"id\":\"snap-" + size + "\",\"manifest\":" + jsonString(manifest) + "}");
    } else if (path.matches("/api/v1/snapshots/snap-[0-9]+/pseudonyms")) {
      long size = Long.parseLong(path.replaceAll("\\D+", " ").trim().split(" ")[1]);
      StringBuilder text = new StringBuilder();
      optedOutAt.get(size).forEach(p -> text.append(p).append('\n'));
      send(exchange, 200, "text/plain", text.toString());
    } else {
      send(exchange, 404, "text/plain", "not found");
    }
  }

  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
