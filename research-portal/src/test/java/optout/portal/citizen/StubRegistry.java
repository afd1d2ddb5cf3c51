package optout.portal.citizen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import optout.registry.log.TreeHead;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry as the citizen's view uses it, on a loopback port: {@code GET /api/v1/me/status} answers for the
 * person whose token it is (here: by the token's {@code preferred_username}; the real registry asks Keycloak for
 * the national ID), with real receipts: every filing is a leaf of a real RFC 9162 Merkle tree (registry-formats'
 * {@link MerkleLog}) whose checkpoint is signed by a log key and cosigned by a witness; {@code /api/v1/persons/<p>/status}
 * for the status watch. A filing may be served with one byte of its proof flipped, and the registry may be "down".
 */
public final class StubRegistry implements AutoCloseable {

  public static final String ORIGIN = "registry.test/nhi-optout";
  /** The warehouse key version of the pseudonyms this registry answers with (one rotation behind it). */
  public static final int KEY_VERSION = 2;

  /** One filing of a person, placed in the log when added. */
  public record Filing(String eventId, String type, List<String> scopes, Instant effectiveAt, long logIndex, byte[] leaf, boolean tamperedProof) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public final Ed25519NoteSigner logKey = Ed25519NoteSigner.generate(ORIGIN);
  public final Ed25519CosignatureSigner witnessKey = Ed25519CosignatureSigner.generate("witness.test");
  public final AtomicBoolean down = new AtomicBoolean();
  /** Served with the registry's signature only: the witness never cosigned. */
  public final AtomicBoolean unwitnessed = new AtomicBoolean();

  private final MerkleLog log = new MerkleLog(new InMemoryNodeStore());
  private final Map<String, Long> pseudonyms = new ConcurrentHashMap<>();
  private final Map<Long, List<Filing>> filings = new ConcurrentHashMap<>();
  private final Map<Long, Map<Integer, Long>> older = new ConcurrentHashMap<>();
  /** Pseudonyms answered under a newer warehouse key version than {@link #KEY_VERSION} ({@link #rotate}). */
  private final Map<Long, Integer> rotated = new ConcurrentHashMap<>();
  private final HttpServer server;

  public StubRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/me/status", exchange -> {
      String user = username(exchange);
      Long pseudonym = user == null ? null : pseudonyms.get(user);
      answer(exchange, pseudonym, true);
    });
    server.createContext("/api/v1/persons/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String number = path.substring("/api/v1/persons/".length()).replace("/status", "");
      // as the registry's rule: a token whose realm roles hold status-reader (the portal's status client) or auditor
      List<String> roles = realmRoles(exchange);
      boolean authorised = roles.contains("status-reader") || roles.contains("auditor");
      answer(exchange, authorised && number.matches("[0-9]{11,19}") ? Long.parseLong(number) : null, false);
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Makes {@code username} a person of this registry with this warehouse pseudonym. */
  public void person(String username, long pseudonym) {
    pseudonyms.put(username, pseudonym);
    filings.putIfAbsent(pseudonym, new CopyOnWriteArrayList<>());
  }

  /** Makes {@code username} a person with pseudonym under {@link #KEY_VERSION} and these under older versions. */
  public void person(String username, long pseudonym, Map<Integer, Long> olderPseudonyms) {
    person(username, pseudonym);
    older.put(pseudonym, Map.copyOf(olderPseudonyms));
  }

  /**
   * The warehouse key rotated to {@link #KEY_VERSION} + 1 for this person: their filings are found under {@code newPseudonym}
   * now, their pseudonym under {@link #KEY_VERSION} becomes an older one, and that old pseudonym finds nothing any more
   * (answered, as by the real registry, under the new version with an empty history).
   */
  public synchronized void rotate(String username, long newPseudonym) {
    long old = pseudonyms.get(username);
    Map<Integer, Long> olderOnes = new java.util.HashMap<>(older.getOrDefault(old, Map.of()));
    olderOnes.put(KEY_VERSION, old);
    older.put(newPseudonym, Map.copyOf(olderOnes));
    filings.put(newPseudonym, filings.get(old));
    filings.put(old, new CopyOnWriteArrayList<>());
    rotated.put(newPseudonym, KEY_VERSION + 1);
    rotated.put(old, KEY_VERSION + 1);
    pseudonyms.put(username, newPseudonym);
  }

  /** Logs a filing of the person (a leaf appended, after some other people's). Answers its log index. */
  public synchronized long file(long pseudonym, String type, List<String> scopes, boolean tamperedProof) {
    others(2);
    byte[] leaf = ("event " + UUID.randomUUID() + " " + type + " " + scopes).getBytes(StandardCharsets.UTF_8);
    long index = log.size();
    log.append(MerkleHashing.leafHash(leaf));
    filings.get(pseudonym).add(new Filing(UUID.randomUUID().toString(), type, scopes, Instant.now(), index, leaf, tamperedProof));
    others(1);
    return index;
  }

  /** Logs leaves of other people (so proofs have several steps). */
  public synchronized void others(int count) {
    byte[] leaf = new byte[48];
    for (int i = 0; i < count; i++) {
      new SecureRandom().nextBytes(leaf);
      log.append(MerkleHashing.leafHash(leaf));
    }
  }

  public synchronized long size() {
    return log.size();
  }

  private synchronized void answer(HttpExchange exchange, Long pseudonym, boolean mine) throws IOException {
    if (down.get()) {
      send(exchange, 503, "{\"title\":\"down\"}");
      return;
    }
    if (pseudonym == null || !filings.containsKey(pseudonym)) {
      send(exchange, 404, "{\"type\":\"urn:nhi-optout:problem:person-id-not-on-record\"}");
      return;
    }
    TreeHead head = log.treeHead();
    Checkpoint checkpoint = Checkpoint.of(ORIGIN, head);
    var signed = new CheckpointSigner(logKey).sign(checkpoint);
    String note = (unwitnessed.get() ? signed : signed.withSignatures(List.of(witnessKey.cosign(checkpoint)))).encoded();
    List<Map<String, Object>> history = new ArrayList<>();
    Map<String, Instant> optedOut = new LinkedHashMap<>();
    for (Filing filing : filings.get(pseudonym)) {
      switch (filing.type()) {
        case "opt-out-filed" -> filing.scopes().forEach(s -> optedOut.putIfAbsent(s, filing.effectiveAt()));
        case "opt-out-withdrawn" -> filing.scopes().forEach(optedOut::remove);
        default -> {
          optedOut.keySet().retainAll(filing.scopes());
          filing.scopes().forEach(s -> optedOut.putIfAbsent(s, filing.effectiveAt()));
        }
      }
      List<String> path = new ArrayList<>(log.inclusionProof(filing.logIndex(), head.size()).path().stream().map(Hash::base64).toList());
      if (filing.tamperedProof() && !path.isEmpty()) {
        byte[] first = Base64.getDecoder().decode(path.get(0));
        first[7] ^= 0x01;
        path.set(0, Base64.getEncoder().encodeToString(first));
      }
      Map<String, Object> receipt = new LinkedHashMap<>();
      receipt.put("logIndex", filing.logIndex());
      receipt.put("leaf", Base64.getEncoder().encodeToString(filing.leaf()));
      receipt.put("leafHash", MerkleHashing.leafHash(filing.leaf()).base64());
      receipt.put("personSalt", "00112233445566778899aabbccddeeff");
      receipt.put("treeSize", head.size());
      receipt.put("inclusionProof", path);
      receipt.put("checkpoint", note);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("eventId", filing.eventId());
      entry.put("type", filing.type());
      entry.put("scopes", filing.scopes());
      entry.put("channel", "online");
      entry.put("proxyRelation", null);
      entry.put("effectiveAt", filing.effectiveAt().toString());
      entry.put("recordedAt", filing.effectiveAt().toString());
      entry.put("documentSha256", "ab".repeat(32));
      entry.put("logIndex", filing.logIndex());
      entry.put("receipt", receipt);
      history.add(entry);
    }
    List<Map<String, Object>> scopes = new ArrayList<>();
    optedOut.forEach((scope, since) -> scopes.add(Map.of("scope", scope, "traditionalChinese", "學術研究", "english", "Academic research",
        "since", since.toString())));
    Map<String, Object> exemption = Map.of("code", "communicable-disease-control", "traditionalChinese", "傳染病防治",
        "english", "Communicable disease control", "legalBasis", "Communicable Disease Control Act art. 5",
        "scopes", List.of("government-statistics"), "uses", 0);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("pseudonym", pseudonym);
    status.put("keyVersion", rotated.getOrDefault(pseudonym, KEY_VERSION));
    List<Map<String, Object>> olderPseudonyms = new ArrayList<>();
    if (mine) {
      new java.util.TreeMap<>(older.getOrDefault(pseudonym, Map.of())).forEach((version, p) -> olderPseudonyms.add(Map.of("keyVersion", version, "pseudonym", p)));
    }
    status.put("olderPseudonyms", olderPseudonyms);
    status.put("asOf", "now");
    status.put("optedOut", scopes);
    status.put("exemptions", List.of(exemption));
    status.put("history", history);
    send(exchange, 200, JSON.writeValueAsString(status));
  }

  /** The token's realm roles (the real registry checks the token's signature; see its CitizenViewIT for the role's reach). */
  private static List<String> realmRoles(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String[] parts = header == null || !header.startsWith("Bearer ") ? new String[0] : header.substring(7).split("\\.");
    if (parts.length != 3) {
      return List.of();
    }
    List<String> roles = new java.util.ArrayList<>();
    JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("realm_access").path("roles").forEach(r -> roles.add(r.asString()));
    return roles;
  }

  /** The token's preferred_username (the portal checked the token; the real registry asks Keycloak who it is). */
  private static String username(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return null;
    }
    String[] parts = header.substring(7).split("\\.");
    if (parts.length != 3) {
      return null;
    }
    var claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    return claims.path("preferred_username").isString() ? claims.get("preferred_username").asString() : null;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
