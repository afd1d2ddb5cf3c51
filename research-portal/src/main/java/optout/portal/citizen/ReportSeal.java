package optout.portal.citizen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import optout.platform.pdf.FormFonts;
import optout.platform.security.ResourceServerProperties;
import optout.platform.seal.HttpRevocationSource;
import optout.platform.seal.HttpTimestampAuthority;
import optout.platform.seal.JcaSealingKey;
import optout.platform.seal.PadesSealer;
import optout.platform.seal.RevocationSource;
import optout.platform.seal.SealOptions;
import optout.platform.seal.SealedPdf;
import optout.portal.keycloak.ServiceToken;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals the citizen's report for the portal: a PAdES baseline signature ({@link PadesSealer}, the consent service's
 * sealer) with the portal's own seal key and an RFC 3161 signature timestamp (B-T); with a CRL address, also the
 * validation data and a document timestamp (B-LTA), as the consent service's forms. The key store and the TSA are configuration
 * ({@link ReportProperties}); nothing here is logged but the certificate's subject.
 */
@Component
@EnableConfigurationProperties(ReportProperties.class)
class ReportSeal {

  private final PadesSealer sealer;
  private final CitizenReport report;
  private final X509Certificate certificate;

  ReportSeal(ReportProperties properties, ResourceServerProperties security, JsonMapper json, Clock clock)
      throws IOException, GeneralSecurityException {
    if (!properties.configured()) {
      this.report = null;
      this.sealer = null;
      this.certificate = null;
      return;
    }
    if (properties.tsaUrl() == null || properties.tsaRoot() == null) {
      throw new IllegalStateException("Cannot seal the citizen's report: optout.portal.citizen.report.keystore is set, so set tsa-url and tsa-root too");
    }
    this.report = new CitizenReport(FormFonts.debianDefaults()); // the fonts are checked now, not when a citizen waits
    char[] password = password(properties);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(properties.keystore())) {
      store.load(in, password);
    }
    String alias = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).findFirst()
        .orElseThrow(() -> new IllegalStateException("Cannot seal the citizen's report: the key store " + properties.keystore() + " holds no key"));
    PrivateKey key = (PrivateKey) store.getKey(alias, password);
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : store.getCertificateChain(alias)) {
      chain.add((X509Certificate) c);
    }
    this.certificate = chain.get(0);
    List<X509Certificate> roots = new ArrayList<>();
    try (InputStream in = Files.newInputStream(properties.tsaRoot())) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.add((X509Certificate) c);
      }
    }
    ServiceToken token = properties.tsaClientId() == null || properties.tsaClientId().isBlank() ? null
        : new ServiceToken(security.issuer(), properties.tsaClientId(), properties.tsaClientSecret(), json);
    HttpTimestampAuthority tsa = HttpTimestampAuthority.create(properties.tsaUrl(), roots, null, Duration.ofSeconds(10),
        token == null ? null : token::get);
    RevocationSource revocation = properties.crlUrl() == null ? RevocationSource.none()
        : HttpRevocationSource.create(properties.crlUrl(), Duration.ofSeconds(10));
    this.sealer = new PadesSealer(JcaSealingKey.of(key, null, chain), tsa, revocation, clock);
  }

  boolean available() {
    return sealer != null;
  }

  /** The report, rendered and sealed. */
  SealedPdf sealed(CitizenController.Overview overview, CitizenController.UsesView uses, java.time.Instant at)
      throws IOException, GeneralSecurityException {
    CitizenReport.Rendered rendered = report.render(overview, uses, at);
    return sealer.seal(rendered.pdf(), SealOptions.defaults().withFieldName("PortalSeal").withPlacement(rendered.sealBox())
        .withAppearanceFont(FormFonts.debianDefaults().latinFont())
        .withReason("個人資料退出狀態報告 Opt-out status report").withLocation("NHI research portal"));
  }

  X509Certificate certificate() {
    return certificate;
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static char[] password(ReportProperties properties) throws IOException {
    if (properties.keystorePasswordFile() != null) {
      return Files.readString(properties.keystorePasswordFile(), StandardCharsets.UTF_8).strip().toCharArray();
    }
    if (properties.keystorePassword() == null) {
      throw new IllegalStateException("Cannot seal the citizen's report: set optout.portal.citizen.report.keystore-password or -file");
    }
    return properties.keystorePassword().toCharArray();
  }
}
