package optout.consent;

import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optout.consent.filing.DraftBook;
import optout.consent.filing.DraftDesk;
import optout.consent.filing.FilingAssembler;
import optout.consent.filing.FilingService;
import optout.consent.filing.FilingStore;
import optout.platform.pdf.FormFonts;
import optout.consent.form.FormRenderer;
import optout.consent.form.ReceiptRenderer;
import optout.platform.seal.HttpTimestampAuthority;
import optout.platform.seal.PadesSealer;
import optout.platform.seal.Pkcs11SealingKey;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.SealingKey;
import optout.platform.seal.TimestampAuthority;
import optout.platform.seal.pki.DemoPki;
import optout.consent.secrets.ConsentSecrets;
import optout.consent.secrets.FilingSigner;
import optout.pad.quality.QualityGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wires the plain-Java form, seal and filing code into the service, from {@link ConsentProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsentProperties.class)
@EnableScheduling
class ConsentConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ConsentConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ConsentSecrets consentSecrets(ConsentProperties properties) {
    return ConsentSecrets.fromFile(properties.secretKeyFile(), properties.createSecretKey());
  }

  @Bean
  FilingSigner filingSigner(ConsentProperties properties) throws IOException {
    ConsentProperties.FilingKey key = properties.filingKey();
    return FilingSigner.fromFile(key.file(), key.create(), key.name(), key.verifierFile());
  }

  /** The demo PKI: the seal's certificate chain (unless PKCS#11), the built-in TSA, the CRLs. */
  @Bean
  DemoPki demoPki(ConsentProperties properties, Clock clock) throws IOException, GeneralSecurityException {
    Path directory = properties.seal().pkiDirectory();
    if (directory == null) {
      throw new IllegalStateException("Cannot start the consent service: set optout.consent.seal.pki-directory (OPTOUT_CONSENT_SEAL_PKIDIRECTORY)");
    }
    char[] passphrase = properties.seal().pkiPassphrase().toCharArray();
    try {
      DemoPki pki = DemoPki.openOrCreate(directory, passphrase, clock);
      if (pki.createdNow()) {
        log.warn("Made a new demo PKI in {}: trust its root ({}) to validate the forms this service seals", directory, DemoPki.ROOT_FILE);
      }
      if (pki.holdsLegacyExaminerKey()) {
        log.warn("The demo PKI in {} still holds an escrow examiner key ({}) from before the examiner had a key store of its own:"
            + " it is not used; envelopes sealed before were sealed for it, so move it to the examiner and delete it here", directory,
            DemoPki.LEGACY_EXAMINER);
      }
      return pki;
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  @Bean
  TimestampAuthority timestampAuthority(ConsentProperties properties, DemoPki pki) throws IOException, GeneralSecurityException {
    ConsentProperties.Seal seal = properties.seal();
    if (seal.tsaUrl() == null) {
      return pki.timestampAuthority();
    }
    List<X509Certificate> roots = seal.tsaTrustFile() == null ? List.of(pki.rootCertificate()) : certificates(seal.tsaTrustFile());
    return HttpTimestampAuthority.create(seal.tsaUrl(), roots, null, seal.tsaTimeout());
  }

  @Bean
  SealingKey sealingKey(ConsentProperties properties, DemoPki pki) throws IOException, GeneralSecurityException {
    ConsentProperties.Seal seal = properties.seal();
    if (seal.pkcs11Config() == null) {
      return pki.agencySealingKey();
    }
    if (seal.pkcs11KeyAlias() == null || seal.pkcs11PinFile() == null) {
      throw new IllegalStateException("Cannot start the consent service: a PKCS#11 seal key needs optout.consent.seal.pkcs11-key-alias and pkcs11-pin-file");
    }
    char[] pin = Files.readString(seal.pkcs11PinFile(), StandardCharsets.UTF_8).strip().toCharArray();
    try {
      return Pkcs11SealingKey.open(seal.pkcs11Config(), pin, seal.pkcs11KeyAlias());
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  @Bean
  PadesSealer padesSealer(SealingKey key, TimestampAuthority tsa, DemoPki pki, Clock clock) {
    return new PadesSealer(key, tsa, pki.revocationSource(), clock);
  }

  @Bean
  SealVerifier sealVerifier(DemoPki pki) {
    return new SealVerifier(List.of(pki.rootCertificate()));
  }

  @Bean
  FilingAssembler filingAssembler(PadesSealer sealer, ConsentProperties properties, Clock clock) throws IOException, GeneralSecurityException {
    FormFonts fonts = FormFonts.debianDefaults();
    return new FilingAssembler(new FormRenderer(fonts, clock), new ReceiptRenderer(fonts, clock), sealer,
        examinerCertificate(properties.seal().examinerCertificate(), clock), properties.web().verificationBase(), clock);
  }

  /**
   * The escrow examiner's certificate: configuration only, its key is the examiner's and never here.
   * Checked at start by sealing a test record for it, so an expired or unsuitable certificate stops the
   * service rather than the first citizen's filing.
   */
  private static X509Certificate examinerCertificate(Path pem, Clock clock) throws IOException, GeneralSecurityException {
    if (pem == null) {
      throw new IllegalStateException("Cannot start the consent service: set optout.consent.seal.examiner-certificate"
          + " (OPTOUT_CONSENT_SEAL_EXAMINERCERTIFICATE), the escrow examiner's certificate (PEM)");
    }
    List<X509Certificate> found = certificates(pem);
    if (found.size() != 1) {
      throw new IllegalStateException("Cannot start the consent service: " + pem + " must hold the examiner's certificate alone");
    }
    X509Certificate examiner = found.get(0);
    try {
      optout.pad.envelope.BiometricEnvelope.seal(new optout.pad.envelope.SealedContent("start-up check", new byte[32], new byte[] {0}),
          examiner, clock.instant());
    } catch (GeneralSecurityException unsuitable) {
      throw new IllegalStateException("Cannot start the consent service: the examiner's certificate in " + pem + " cannot be used: "
          + unsuitable.getMessage(), unsuitable);
    }
    log.info("Biometric envelopes are sealed for the escrow examiner {}", examiner.getSubjectX500Principal().getName());
    return examiner;
  }

  @Bean
  DraftBook draftBook(ConsentProperties properties, Clock clock) {
    ConsentProperties.Drafts drafts = properties.drafts();
    return new DraftBook(clock, drafts.lifetime(), drafts.perOwner(), drafts.total());
  }

  @Bean
  FilingService filingService(DraftBook drafts, FilingAssembler assembler, ConsentSecrets secrets, FilingSigner signer,
      FilingStore store, JsonMapper json, Clock clock) {
    return new FilingService(drafts, QualityGate.withDefaults(), assembler, secrets, signer, store, json, clock);
  }

  @Bean
  DraftDesk draftDesk(FilingService filings, DraftBook drafts) {
    return new DraftDesk(filings, drafts);
  }

  private static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    try (var in = Files.newInputStream(pem)) {
      for (var certificate : factory.generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalStateException("Cannot start the consent service: " + pem + " holds no certificate");
    }
    return certificates;
  }
}
