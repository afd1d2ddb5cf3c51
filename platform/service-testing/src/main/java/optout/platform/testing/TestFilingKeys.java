package optout.platform.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeSet;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.sealedfiling.CanonicalFiling;
import optout.registry.sealedfiling.FilingSignatures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The consent service's filing key for one test JVM, made when first asked for and never written
 * anywhere but a temporary file: the consent service signs with it, the registry trusts its verifier
 * key, and tests that file directly at the registry sign their requests with it as the consent service
 * would ({@link #seal}).
 */
public final class TestFilingKeys {

  /** The key name, as a real deployment's would be its host and purpose. */
  public static final String KEY_NAME = "localhost/nhi-optout-consent-filing";
  /** The filer that direct registry tests name: a clerk account at the consent service. */
  public static final String TEST_CLERK = "test-clerk-0001";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static Ed25519NoteSigner signer;
  private static Path signerKeyFile;

  private TestFilingKeys() {}

  public static synchronized Ed25519NoteSigner signer() {
    if (signer == null) {
      signer = Ed25519NoteSigner.generate(KEY_NAME);
    }
    return signer;
  }

  /** A 0600 temporary file with the signer key ({@code PRIVATE+KEY+...}), for a consent service under test. */
  public static synchronized Path signerKeyFile() throws Exception {
    if (signerKeyFile == null) {
      Path file = Files.createTempDirectory("test-filing-key").resolve("consent-filing.key");
      Files.writeString(file, signer().unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
      signerKeyFile = file;
    }
    return signerKeyFile;
  }

  /** The verifier key a registry under test trusts. */
  public static String verifierKey() {
    return signer().verifierKey();
  }

  /** Adds the person's salt, the filer and the signature to a filing request, as the consent service does. */
  public static ObjectNode seal(ObjectNode request, String idempotencyKey) {
    return seal(request, idempotencyKey, "clerk", TEST_CLERK, signer());
  }

  /** The same, by another filer or key (tests of refusals). */
  public static ObjectNode seal(ObjectNode request, String idempotencyKey, String filerRole, String filerAccount,
      Ed25519NoteSigner key) {
    byte[] salt = new byte[CanonicalFiling.SALT_BYTES];
    RANDOM.nextBytes(salt);
    request.put("personSalt", HexFormat.of().formatHex(salt));
    request.putObject("filer").put("role", filerRole).put("account", filerAccount);
    request.put("signature", FilingSignatures.sign(canonical(request, idempotencyKey), key));
    return request;
  }

  /** The canonical filing of a request (its fields as the registry reads them). */
  public static CanonicalFiling canonical(JsonNode request, String idempotencyKey) {
    TreeSet<String> scopes = new TreeSet<>();
    request.path("scopes").forEach(scope -> scopes.add(scope.asString()));
    JsonNode proxy = request.path("proxy");
    byte[] salt = HexFormat.of().parseHex(request.path("personSalt").asString());
    return new CanonicalFiling(idempotencyKey == null ? "no-idempotency-key" : idempotencyKey, request.path("type").asString(),
        CanonicalFiling.personCommitment(salt, request.path("nationalId").asString().toUpperCase(java.util.Locale.ROOT)),
        scopes, request.path("channel").asString(),
        proxy.isObject() ? Optional.of(new CanonicalFiling.Proxy(proxy.path("relation").asString(), proxy.path("evidenceReference").asString()))
            : Optional.empty(),
        Instant.parse(request.path("effectiveAt").asString()), request.path("document").path("sha256").asString(),
        request.path("filer").path("role").asString(), request.path("filer").path("account").asString());
  }
}
