package optout.consent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The consent service's settings ({@code optout.consent.*}); the README's configuration table lists
 * them with their environment variables.
 *
 * @param secretKeyFile the service's master key (receipt codes, person lookup, outbox encryption); outside git
 * @param createSecretKey make the master key on first start (the local demo); otherwise a missing key stops the service
 * @param filingKey the key that signs each filing delivered to the registry
 * @param registryLog how this service checks that the registry logged what it delivered
 */
@ConfigurationProperties("optout.consent")
public record ConsentProperties(Path secretKeyFile, @DefaultValue("false") boolean createSecretKey, @DefaultValue Seal seal,
    @DefaultValue Counter counter, @DefaultValue Registry registry, @DefaultValue Drafts drafts, @DefaultValue Web web,
    @DefaultValue FilingKey filingKey, @DefaultValue RegistryLog registryLog) {

  /**
   * The registry's transparency log as this service checks it: each delivered filing must appear in it,
   * as sealed, under a checkpoint that extends every one seen before. {@code verifierKey} (or a file
   * holding it, {@code verifierKeyFile}) pins the log's key; without either nothing is checked, and the
   * verification page says so. {@code witnessVerifierKey} (or {@code witnessVerifierKeyFile}): the
   * checkpoints must also be cosigned by that witness (C2SP tlog-cosignature).
   */
  public record RegistryLog(@DefaultValue("localhost/nhi-optout-registry") String origin, String verifierKey, Path verifierKeyFile,
      String witnessVerifierKey, Path witnessVerifierKeyFile, @DefaultValue("5s") Duration interval) {}

  /**
   * The filing key (Ed25519, {@code PRIVATE+KEY+<name>+...} in {@code file}, outside git). {@code create}
   * makes it on first start and writes its verifier key to {@code verifierFile} for the registry (the
   * local demo); otherwise a missing key stops the service.
   */
  public record FilingKey(Path file, @DefaultValue("false") boolean create,
      @DefaultValue("localhost/nhi-optout-consent-filing") String name, Path verifierFile) {}

  /**
   * The agency's seal. By default the demo PKI in {@code pkiDirectory} (made on first start) and the
   * built-in timestamp authority; {@code tsaUrl} names an external RFC 3161 authority instead (its
   * certificate must chain to a root in {@code tsaTrustFile}, or to the demo root), and {@code
   * pkcs11Config} a PKCS#11 token holding the seal key under {@code pkcs11KeyAlias}, unlocked with the
   * PIN in the file {@code pkcs11PinFile}. {@code examinerCertificate} (PEM, required) is the escrow
   * examiner's certificate the biometric envelopes are sealed for; the examiner's key is never here.
   */
  public record Seal(Path pkiDirectory, @DefaultValue("optout-local-demo-pki") String pkiPassphrase, URI tsaUrl, Path tsaTrustFile,
      @DefaultValue("10s") Duration tsaTimeout, Path pkcs11Config, String pkcs11KeyAlias, Path pkcs11PinFile,
      Path examinerCertificate) {}

  /**
   * The counter's signature pad: an attached pad's ID as {@code ./optout pad list} shows it (it must be
   * attached when the service starts), or {@code virtual:<model>} (a virtual STU pad whose citizen writes
   * a recorded signature), which only {@code localDemoVirtualPad} allows: no default either way.
   */
  public record Counter(String pad, @DefaultValue("false") boolean localDemoVirtualPad,
      @DefaultValue("120s") Duration captureTimeout) {}

  /**
   * Where filings are delivered, and the service account the relay logs in with. A filing still not
   * delivered {@code stuckAlertAfter} after it was filed raises an alert.
   */
  public record Registry(@DefaultValue("http://localhost:8081") URI url, @DefaultValue("optout-consent") String clientId,
      String clientSecret, @DefaultValue("1s") Duration relayInterval, @DefaultValue("5m") Duration maxBackoff,
      @DefaultValue("10s") Duration timeout, @DefaultValue("15m") Duration stuckAlertAfter) {}

  /** How long a draft lives, and how many may be open. */
  public record Drafts(@DefaultValue("20m") Duration lifetime, @DefaultValue("5") int perOwner, @DefaultValue("500") int total) {}

  /** What the pages and receipts need. */
  public record Web(@DefaultValue("optout-web") String clientId, @DefaultValue("http://localhost:8082") URI verificationBase) {}
}
