package optout.platform.seal;

import static optout.platform.seal.ExternalTools.pdfsig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import optout.platform.seal.ExternalTools.Run;
import optout.platform.seal.pki.DemoPki;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seal checked by tools that share no code with it: poppler's pdfsig (NSS) on the seal's revision,
 * OpenSSL on the signature timestamp and on the document timestamp that covers the whole file; and by
 * the platform's own {@link SealVerifier}. (EU DSS judges the level: {@code SealedFormDssTest}.) One PKI
 * and one sealed form for the class.
 */
class PadesSealerTest {

  /**
   * What pdfsig 22.12 prints for a seal that holds. It covers its own revision; the validation data and
   * the document timestamp follow it, and pdfsig reports the seal "Not total document signed" and the
   * document timestamp "Total document signed", which it cannot validate (OpenSSL and the verifier do).
   */
  static final List<String> PDFSIG_VALID = List.of(
      "  - Signature Type: ETSI.CAdES.detached",
      "  - Signature Validation: Signature is Valid.",
      "  - Certificate Validation: Certificate is Trusted.");

  @TempDir static Path directory;
  static DemoPki pki;
  static Path nss;
  static PadesSealer sealer;
  static SealVerifier verifier;
  static byte[] form;
  static SealedPdf sealed;
  static Path sealedFile;
  private static DemoPki other;

  @BeforeAll
  static void sealOneForm() throws Exception {
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    nss = ExternalTools.nssDatabase(directory.resolve("nss"), pki.rootCertificateFile());
    sealer = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), pki.revocationSource(), Clock.systemUTC());
    verifier = new SealVerifier(List.of(pki.rootCertificate()));
    form = TestForms.plain();
    sealed = sealer.seal(form, SealOptions.defaults().withReason("Opt-out filing received").withLocation("Taipei"));
    sealedFile = Files.write(directory.resolve("sealed.pdf"), sealed.pdf());
  }

  @Test
  void pdfsigFindsTheSealValidAndTrustedAndTheDocumentTimestampCoveringTheWholeFile() throws Exception {
    Run report = pdfsig(nss, sealedFile);
    assertThat(report.output().lines()).as(report.output()).containsAll(PDFSIG_VALID)
        .contains("  - Signature Field Name: AgencySeal", "  - Signer Certificate Common Name: NHI Opt-out Agency Seal (demo)",
            "  - Signing Hash Algorithm: SHA-256");
    assertThat(report.output()).doesNotContain("is not signed", "Signature #3");
    int[] range = SealedForms.byteRange(sealed.pdf());
    String seal = report.output().substring(report.output().indexOf("Signature #1:"), report.output().indexOf("Signature #2:"));
    assertThat(seal).contains("  - Signed Ranges: [0 - " + range[1] + "], [" + range[2] + " - " + (range[2] + range[3]) + "]",
        "  - Not total document signed");
    String timestamp = report.output().substring(report.output().indexOf("Signature #2:"));
    assertThat(timestamp).contains("  - Signer Certificate Common Name: NHI Opt-out Demo Timestamp Authority", "  - Total document signed")
        .containsPattern("Signed Ranges: \\[0 - \\d+\\], \\[\\d+ - " + sealed.pdf().length + "\\]");
  }

  @Test
  void theDocumentTimestampPassesOpensslTsVerifyOverTheWholeFile() throws Exception {
    byte[] pdf = sealed.pdf();
    int[] range;
    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDSignature timestamp = SealedForms.documentTimestamps(document).get(0);
      assertThat(timestamp.getCOSObject().getCOSName(COSName.TYPE)).isEqualTo(COSName.DOC_TIME_STAMP);
      assertThat(timestamp.getFilter()).isEqualTo("Adobe.PPKLite");
      range = timestamp.getByteRange();
    }
    assertThat(range[2] + range[3]).isEqualTo(pdf.length);
    Path token = Files.write(directory.resolve("document-timestamp.tst"), SealVerifier.contents(pdf, range));
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(pdf, 0, range[1]);
    signed.write(pdf, range[2], range[3]);
    Path data = Files.write(directory.resolve("document-timestamp.data"), signed.toByteArray());
    Path tsaFile = pki.directory().resolve(DemoPki.TSA_FILE);
    Run ok = ExternalTools.run(null, "openssl", "ts", "-verify", "-in", token.toString(), "-token_in", "-data", data.toString(),
        "-CAfile", pki.rootCertificateFile().toString(), "-untrusted", tsaFile.toString());
    assertThat(ok.output()).as(ok.output()).contains("Verification: OK");

    byte[] changed = signed.toByteArray();
    changed[changed.length / 2] ^= 0x01;
    Path other = Files.write(directory.resolve("document-timestamp.changed"), changed);
    Run wrong = ExternalTools.run(null, "openssl", "ts", "-verify", "-in", token.toString(), "-token_in", "-data", other.toString(),
        "-CAfile", pki.rootCertificateFile().toString(), "-untrusted", tsaFile.toString());
    assertThat(wrong.output()).contains("Verification: FAILED");
  }

  @Test
  void pdfsigDoesNotTrustTheSealWithoutTheDemoRoot() throws Exception {
    Path empty = directory.resolve("nss-empty");
    Files.createDirectories(empty);
    assertThat(ExternalTools.run(null, "certutil", "-N", "-d", "sql:" + empty, "--empty-password").exit()).isZero();
    Run report = pdfsig(empty, sealedFile);
    assertThat(report.output()).contains("  - Signature Validation: Signature is Valid.").doesNotContain("Certificate is Trusted.");
  }

  @Test
  void theSealedFileIsTheFormFollowedByThreeIncrementalUpdates() throws Exception {
    assertThat(Arrays.copyOf(sealed.pdf(), form.length)).isEqualTo(form);
    String update = new String(sealed.pdf(), form.length, sealed.pdf().length - form.length, StandardCharsets.ISO_8859_1);
    assertThat(update.split("%%EOF", -1)).as("the seal, the validation data, the document timestamp").hasSize(4);
    assertThat(sealed.level()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(sealed.timestampTime()).isAfterOrEqualTo(sealed.claimedSigningTime().minusSeconds(1));
    assertThat(sealed.toString()).contains("PAdES-BASELINE-LTA").doesNotContain("%PDF");
  }

  @Test
  void theSignatureDictionaryAndCmsFollowPadesBaseline() throws Exception {
    try (PDDocument document = Loader.loadPDF(sealed.pdf())) {
      PDSignature signature = SealedForms.signatureDictionary(document);
      assertThat(signature.getFilter()).isEqualTo("Adobe.PPKLite");
      assertThat(signature.getSubFilter()).isEqualTo("ETSI.CAdES.detached");
      assertThat(signature.getSignDate().toInstant()).isEqualTo(sealed.claimedSigningTime());
      assertThat(signature.getReason()).isEqualTo("Opt-out filing received");
      assertThat(signature.getLocation()).isEqualTo("Taipei");
      assertThat(signature.getCOSObject().containsKey(COSName.CERT)).as("PAdES forbids /Cert").isFalse();
    }
    CMSSignedData cms = SealedForms.cms(sealed.pdf());
    assertThat(cms.isDetachedSignature()).isTrue();
    assertThat(cms.getSignedContentTypeOID()).isEqualTo(PKCSObjectIdentifiers.data.getId());
    SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
    AttributeTable signed = signer.getSignedAttributes();
    List<ASN1ObjectIdentifier> types = new ArrayList<>();
    for (Attribute attribute : signed.toASN1Structure().getAttributes()) {
      types.add(attribute.getAttrType());
    }
    assertThat(types).containsExactlyInAnyOrder(CMSAttributes.contentType, CMSAttributes.messageDigest,
        PKCSObjectIdentifiers.id_aa_signingCertificateV2);
    assertThat(signed.get(CMSAttributes.signingTime)).as("PAdES baseline: the claimed time is /M, not signing-time").isNull();
    ESSCertIDv2 id = SigningCertificateV2.getInstance(signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2).getAttrValues().getObjectAt(0))
        .getCerts()[0];
    assertThat(id.getCertHash()).isEqualTo(SealedForms.sha256(pki.agencyCertificate().getEncoded()));
    assertThat(id.getIssuerSerial().getSerial().getValue()).isEqualTo(pki.agencyCertificate().getSerialNumber());
    assertThat(signer.getEncryptionAlgOID()).isEqualTo("1.2.840.10045.4.3.2"); // ecdsa-with-SHA256
    assertThat(signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken)).isNotNull();
    @SuppressWarnings("unchecked")
    java.util.Collection<?> signerCertificates = cms.getCertificates().getMatches(signer.getSID());
    assertThat(signerCertificates).hasSize(1);
  }

  @Test
  void theTimestampTokenPassesOpensslTsVerify() throws Exception {
    SignerInformation signer = SealedForms.signer(sealed.pdf());
    Attribute attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
    TimeStampToken token = new TimeStampToken(org.bouncycastle.asn1.cms.ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
    assertThat(token.getTimeStampInfo().getPolicy()).isEqualTo(LocalTimestampAuthority.POLICY);
    assertThat(token.getTimeStampInfo().getGenTime().toInstant()).isEqualTo(sealed.timestampTime());
    Path tokenFile = Files.write(directory.resolve("token.tsr"), token.getEncoded(ASN1Encoding.DER));
    Path tsaFile = pki.directory().resolve(DemoPki.TSA_FILE);
    String digest = HexFormat.of().formatHex(SealedForms.sha256(signer.getSignature()));

    Run ok = ExternalTools.run(null, "openssl", "ts", "-verify", "-in", tokenFile.toString(), "-token_in", "-digest", digest,
        "-CAfile", pki.rootCertificateFile().toString(), "-untrusted", tsaFile.toString());
    assertThat(ok.output()).as(ok.output()).contains("Verification: OK");
    assertThat(ok.exit()).isZero();

    String other = HexFormat.of().formatHex(SealedForms.sha256("another signature".getBytes(StandardCharsets.US_ASCII)));
    Run wrong = ExternalTools.run(null, "openssl", "ts", "-verify", "-in", tokenFile.toString(), "-token_in", "-digest", other,
        "-CAfile", pki.rootCertificateFile().toString(), "-untrusted", tsaFile.toString());
    assertThat(wrong.output()).contains("Verification: FAILED").doesNotContain("Verification: OK");
  }

  @Test
  void theDssAfterTheSealHoldsBothChainsAndACrlIssuedAfterTheSignatureTimestampWithVri() throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    try (PDDocument document = Loader.loadPDF(sealed.pdf())) {
      COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
      COSDictionary dss = catalog.getCOSDictionary(COSName.getPDFName("DSS"));
      assertThat(dss).as("the DSS").isNotNull();
      List<X509Certificate> certificates = new ArrayList<>();
      for (byte[] der : streams(dss.getDictionaryObject(COSName.getPDFName("Certs")))) {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
      assertThat(certificates).containsExactlyInAnyOrder(pki.agencyCertificate(), pki.rootCertificate(), pki.timestampCertificate());
      List<byte[]> crls = streams(dss.getDictionaryObject(COSName.getPDFName("CRLs")));
      assertThat(crls).hasSize(1);
      X509CRL crl = (X509CRL) factory.generateCRL(new ByteArrayInputStream(crls.get(0)));
      crl.verify(pki.rootCertificate().getPublicKey());
      assertThat(crl.getRevokedCertificates()).isNull();
      assertThat(crl.getThisUpdate().toInstant()).as("issued after the signature timestamp").isAfter(sealed.timestampTime());
      assertThat(crl.getNextUpdate().toInstant()).isAfter(sealed.timestampTime().plus(Duration.ofDays(6)));
      COSDictionary esic = catalog.getCOSDictionary(COSName.getPDFName("Extensions")).getCOSDictionary(COSName.getPDFName("ESIC"));
      assertThat(esic.getInt(COSName.getPDFName("ExtensionLevel"))).isEqualTo(5);

      COSDictionary vri = dss.getCOSDictionary(COSName.getPDFName("VRI"));
      String key = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(SealedForms.signatureDictionary(document).getContents())).toUpperCase(java.util.Locale.ROOT);
      assertThat(vri.keySet()).extracting(COSName::getName).containsExactly(key);
      COSDictionary entry = vri.getCOSDictionary(COSName.getPDFName(key));
      assertThat(streams(entry.getDictionaryObject(COSName.getPDFName("Cert")))).hasSize(3);
      assertThat(streams(entry.getDictionaryObject(COSName.getPDFName("CRL")))).hasSize(1).first().isEqualTo(crls.get(0));
    }
    String text = new String(sealed.pdf(), StandardCharsets.ISO_8859_1);
    int[] seal = SealedForms.byteRange(sealed.pdf());
    assertThat(text.indexOf("/DSS")).as("the DSS follows the seal's revision").isGreaterThan(seal[2] + seal[3]);
  }

  @Test
  void theVerifierAcceptsTheSealAtLevelLta() throws Exception {
    VerifiedSeal seal = verifier.verify(sealed.pdf());
    assertThat(seal.fieldName()).isEqualTo("AgencySeal");
    assertThat(seal.signer()).contains("CN=NHI Opt-out Agency Seal (demo)");
    assertThat(seal.signerPath()).containsExactly(pki.agencyCertificate(), pki.rootCertificate());
    assertThat(seal.level()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(seal.documentTimestampTimes()).hasSize(1).allMatch(time -> !time.isBefore(sealed.timestampTime()));
    assertThat(seal.lastTimestampCertificate()).isEqualTo(pki.timestampCertificate());
    assertThat(seal.timestampTime()).isEqualTo(sealed.timestampTime());
    assertThat(seal.claimedSigningTime()).isEqualTo(sealed.claimedSigningTime());
    assertThat(seal.timestampAuthority()).contains("CN=NHI Opt-out Demo Timestamp Authority");
  }

  @Test
  void flippingAnyByteBreaksTheSealForPdfsigAndTheVerifier() throws Exception {
    byte[] pdf = sealed.pdf();
    int[] range = SealedForms.byteRange(pdf);
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      offsets.add((int) ((long) (range[1] - 1) * i / 7)); // across the first signed range, its first and last byte
    }
    offsets.add(form.length + 10); // in the seal's incremental update: its new objects
    String text = new String(pdf, StandardCharsets.ISO_8859_1);
    offsets.add(text.indexOf("/ByteRange") + 12);
    offsets.add(text.indexOf("/M (D:") + 8);
    offsets.add(range[2]); // right after the /Contents hex string
    offsets.add(range[2] + range[3] / 2);
    offsets.add(range[2] + range[3] - 1); // the seal revision's last byte
    for (int offset : offsets) {
      byte[] tampered = pdf.clone();
      tampered[offset] ^= 0x01;
      assertBroken(tampered, "byte " + offset);
    }
    // After the seal's revision, only the document timestamp covers the bytes: pdfsig still finds the
    // seal valid (rightly: its revision is intact), the verifier refuses the file.
    int sealEnd = range[2] + range[3];
    for (int offset : List.of(sealEnd + 5, text.indexOf("/DSS") + 2, text.indexOf("/DocTimeStamp") + 3, (sealEnd + pdf.length) / 2,
        pdf.length - 1)) {
      byte[] tampered = pdf.clone();
      tampered[offset] ^= 0x01;
      assertThatThrownBy(() -> verifier.verify(tampered)).as("byte %d after the seal", offset).isInstanceOf(InvalidSealException.class)
          .hasMessageStartingWith("Cannot accept the seal: ");
    }

    // Inside /Contents: the CMS's first byte, and the signature value itself.
    byte[] cms = SealVerifier.contents(pdf, range);
    SignerInformation signer = SealedForms.signer(pdf);
    int valueAt = indexOf(cms, signer.getSignature());
    for (int cmsByte : List.of(0, valueAt + 10)) {
      byte[] tampered = pdf.clone();
      int hexAt = range[1] + 1 + 2 * cmsByte;
      tampered[hexAt] = (byte) (tampered[hexAt] == '0' ? '1' : '0');
      assertBroken(tampered, "CMS byte " + cmsByte);
    }
  }

  /**
   * A changed padding byte after the CMS in /Contents is outside the seal's signed ranges, as in any PDF
   * signature: the seal still verifies for pdfsig; the document timestamp covers it, and the verifier
   * refuses it.
   */
  @Test
  void dataInTheContentsPaddingIsNoticedAndRefused() throws Exception {
    byte[] tampered = sealed.pdf().clone();
    int[] range = SealedForms.byteRange(tampered);
    tampered[range[2] - 3] = '7';
    Run report = pdfsig(nss, Files.write(directory.resolve("padding.pdf"), tampered));
    assertThat(report.output()).contains("  - Signature Validation: Signature is Valid.");
    assertThatThrownBy(() -> verifier.verify(tampered)).isInstanceOf(InvalidSealException.class)
        .hasMessage("Cannot accept the seal: its /Contents has data after the CMS structure (byte " + ((range[2] - 3 - range[1] - 1) / 2) + ")");
  }

  @Test
  void anythingAppendedAfterTheSealIsRefused() throws Exception {
    byte[] appended = concat(sealed.pdf(), "\n% a comment added later\n".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> verifier.verify(appended))
        .hasMessage("Cannot accept the seal: it does not cover the whole file: 25 bytes were added after the last document timestamp");
    Path file = Files.write(directory.resolve("appended.pdf"), appended);
    assertThat(pdfsig(nss, file).output()).doesNotContain("  - Total document signed");

    byte[] updated;
    try (PDDocument document = Loader.loadPDF(sealed.pdf())) {
      document.getDocumentInformation().setTitle("Changed after sealing");
      document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.saveIncremental(out);
      updated = out.toByteArray();
    }
    assertThatThrownBy(() -> verifier.verify(updated)).isInstanceOf(InvalidSealException.class)
        .hasMessageStartingWith("Cannot accept the seal: it does not cover the whole file:");
  }

  @Test
  void anUnsealedFormOrASealFromAnotherRootIsRefused() throws Exception {
    assertThatThrownBy(() -> verifier.verify(form))
        .hasMessage("Cannot accept the seal: the PDF carries no signature (it is not sealed, or its seal was removed)");
    assertThatThrownBy(() -> verifier.verify("not a PDF".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageStartingWith("Cannot accept the seal: the file is not a readable PDF");
    assertThatThrownBy(() -> new SealVerifier(List.of(other().rootCertificate())).verify(sealed.pdf()))
        .hasMessageStartingWith("Cannot accept the seal: cannot trust the timestamp authority's certificate");
  }

  @Test
  void embeddedCrlsThatDoNotCoverTheChainsAreRefused() throws Exception {
    DemoPki foreign = other();
    PadesSealer wrongCrls = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), certificates -> List.of(foreign.currentCrl()),
        Clock.systemUTC());
    SealedPdf uncovered = wrongCrls.seal(form, SealOptions.defaults());
    assertThatThrownBy(() -> verifier.verify(uncovered.pdf())).isInstanceOf(InvalidSealException.class)
        .hasMessageStartingWith("Cannot accept the seal: cannot trust the timestamp authority's certificate (CN=NHI Opt-out Demo Timestamp Authority")
        .hasMessageEndingWith("the embedded revocation data does not cover CN=NHI Opt-out Demo Timestamp Authority,"
            + "OU=LOCAL DEMO - NOT FOR PRODUCTION,O=National Health Insurance Administration (demo),C=TW");
  }

  @Test
  void withoutRevocationDataTheSealIsBtInOneRevisionAndSaysSoLikeEuDss() throws Exception {
    PadesSealer noCrls = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), RevocationSource.none(), Clock.systemUTC());
    SealedPdf bt = noCrls.seal(form, SealOptions.defaults());
    assertThat(bt.level()).isEqualTo("PAdES-BASELINE-T");
    assertThat(verifier.verify(bt.pdf()).level()).isEqualTo("PAdES-BASELINE-T").isEqualTo(EuDss.validate(bt.pdf(), pki.rootCertificate()).format());
    assertThat(pdfsig(nss, Files.write(directory.resolve("bt.pdf"), bt.pdf())).output().lines()).containsAll(PDFSIG_VALID)
        .contains("  - Total document signed");
  }

  @Test
  void aSealInTheFormsReservedFieldKeepsItsPlaceAndAppearance() throws Exception {
    SealedPdf visible = sealer.seal(TestForms.withReservedField(), SealOptions.defaults().withPlacement(new SealOptions.Placement(0, 1, 1, 10, 10)));
    Path file = Files.write(directory.resolve("reserved.pdf"), visible.pdf());
    assertThat(pdfsig(nss, file).output().lines()).containsAll(PDFSIG_VALID).contains("  - Signature Field Name: AgencySeal");
    assertThat(verifier.verify(visible.pdf()).fieldName()).isEqualTo("AgencySeal");
    try (PDDocument document = Loader.loadPDF(visible.pdf())) {
      assertThat(document.getSignatureFields()).as("the seal and the document timestamp").hasSize(2);
      PDAnnotationWidget widget = document.getSignatureFields().get(0).getWidgets().get(0);
      assertRectangle(widget.getRectangle(), TestForms.RESERVED);
      PDAppearanceStream appearance = widget.getAppearance().getNormalAppearance().getAppearanceStream();
      assertThat(appearance.getBBox().getWidth()).isEqualTo(180f);
      assertThat(appearance.getResources() == null || !appearance.getResources().getFontNames().iterator().hasNext())
          .as("no font without an appearance font: the form stays PDF/A").isTrue();
      assertThat(document.getPage(0).getAnnotations()).as("the seal's widget and the document timestamp's, of no size").hasSize(2);
      assertThat(document.getPage(0).getAnnotations().get(1).getRectangle().getWidth()).isZero();
    }
  }

  @Test
  void withAnAppearanceFontTheSealShowsWhoSealedWithTheFontEmbedded() throws Exception {
    Path font = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assertThat(font).as("DejaVu Sans is missing: apt-get install fonts-dejavu-core").exists();
    SealedPdf visible = sealer.seal(TestForms.withReservedField(), SealOptions.defaults().withAppearanceFont(font));
    assertThat(pdfsig(nss, Files.write(directory.resolve("font.pdf"), visible.pdf())).output().lines()).containsAll(PDFSIG_VALID);
    try (PDDocument document = Loader.loadPDF(visible.pdf())) {
      PDAnnotationWidget widget = document.getSignatureFields().get(0).getWidgets().get(0);
      assertRectangle(widget.getRectangle(), TestForms.RESERVED);
      PDAppearanceStream appearance = widget.getAppearance().getNormalAppearance().getAppearanceStream();
      COSName fontName = appearance.getResources().getFontNames().iterator().next();
      PDFont used = appearance.getResources().getFont(fontName);
      assertThat(used.isEmbedded()).isTrue();
      assertThat(used.getName()).matches("[A-Z]{6}\\+DejaVuSans");
      try (InputStream content = appearance.getContentStream().createInputStream()) {
        assertThat(new String(content.readAllBytes(), StandardCharsets.ISO_8859_1)).contains(" Tj");
      }
    }
  }

  @Test
  void aVisibleSealCanBePlacedInANewField() throws Exception {
    SealedPdf visible = sealer.seal(form, SealOptions.defaults().withFieldName("CounterSeal")
        .withPlacement(new SealOptions.Placement(0, 40, 40, 200, 50)));
    Path file = Files.write(directory.resolve("placed.pdf"), visible.pdf());
    assertThat(pdfsig(nss, file).output().lines()).containsAll(PDFSIG_VALID).contains("  - Signature Field Name: CounterSeal");
    try (PDDocument document = Loader.loadPDF(visible.pdf())) {
      PDSignatureField field = document.getSignatureFields().get(0);
      assertThat(field.getFullyQualifiedName()).isEqualTo("CounterSeal");
      assertRectangle(field.getWidgets().get(0).getRectangle(), new PDRectangle(40, 40, 200, 50));
      assertThat(field.getWidgets().get(0).getAppearance().getNormalAppearance().getAppearanceStream().getBBox().getHeight()).isEqualTo(50f);
      assertThat(document.getPage(0).getAnnotations()).hasSize(2);
    }
    assertThatThrownBy(() -> sealer.seal(form, SealOptions.defaults().withPlacement(new SealOptions.Placement(3, 40, 40, 200, 50))))
        .hasMessage("Cannot place the seal on page 3: the PDF has 1 pages");
  }

  @Test
  void aSealedFieldIsNotSealedAgain() {
    assertThatThrownBy(() -> sealer.seal(sealed.pdf(), SealOptions.defaults()))
        .hasMessage("Cannot seal into field 'AgencySeal': it is signed already");
    assertThatThrownBy(() -> sealer.seal("%PDF-1.7 nothing".getBytes(StandardCharsets.US_ASCII), SealOptions.defaults()))
        .hasMessageStartingWith("Cannot seal the PDF: it cannot be read");
  }

  /** A second, unrelated demo PKI. */
  private static synchronized DemoPki other() throws Exception {
    if (other == null) {
      other = DemoPki.openOrCreate(directory.resolve("other-pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    }
    return other;
  }

  private void assertBroken(byte[] tampered, String where) throws Exception {
    Path file = Files.write(directory.resolve("tampered.pdf"), tampered);
    Run report = pdfsig(nss, file);
    assertThat(report.output()).as("pdfsig on a PDF with %s flipped:%n%s", where, report.output()).doesNotContain("Signature is Valid.");
    assertThatThrownBy(() -> verifier.verify(tampered)).as(where).isInstanceOf(InvalidSealException.class)
        .hasMessageStartingWith("Cannot accept the seal: ");
  }

  private static void assertRectangle(PDRectangle actual, PDRectangle expected) {
    assertThat(new float[] {actual.getLowerLeftX(), actual.getLowerLeftY(), actual.getWidth(), actual.getHeight()})
        .containsExactly(expected.getLowerLeftX(), expected.getLowerLeftY(), expected.getWidth(), expected.getHeight());
  }

  private static List<byte[]> streams(COSBase array) throws Exception {
    List<byte[]> contents = new ArrayList<>();
    for (COSBase item : (COSArray) array) {
      COSStream stream = (COSStream) (item instanceof COSObject object ? object.getObject() : item);
      try (InputStream in = stream.createInputStream()) {
        contents.add(in.readAllBytes());
      }
    }
    return contents;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
