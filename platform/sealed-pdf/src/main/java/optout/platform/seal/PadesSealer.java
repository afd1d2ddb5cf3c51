package optout.platform.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Seals a PDF form for the agency at level PAdES B-LTA, in three incremental updates:
 * <ol>
 *   <li>the PAdES baseline signature ({@code /SubFilter /ETSI.CAdES.detached}, see {@link CadesSignature})
 *       with its signature timestamp (B-T);
 *   <li>the document security store (DSS) with the seal's and the TSA's chains and revocation data
 *       issued <em>after</em> the signature timestamp, with a /VRI entry for the signature (B-LT): only
 *       revocation data younger than the timestamp shows the certificates unrevoked when it was made;
 *   <li>a document timestamp ({@code /Type /DocTimeStamp}, {@code /SubFilter /ETSI.RFC3161}) over all of
 *       it (B-LTA), which {@link ArchiveStamper} later renews before its certificate ends.
 * </ol>
 * The signature covers its own revision; the document timestamp covers the whole file.
 * {@link SealVerifier} accepts after the signature only such validation data and document timestamps.
 */
public final class PadesSealer {

  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final SealingKey key;
  private final TimestampAuthority tsa;
  private final RevocationSource revocation;
  private final Clock clock;

  /**
   * @param key the agency's seal key
   * @param tsa the timestamp authority for the signature timestamp and the document timestamp
   * @param revocation CRLs for the validation data ({@link RevocationSource#none()}: the seal stays B-T,
   *     one revision, no document timestamp)
   * @param clock gives the claimed signing time (/M)
   */
  public PadesSealer(SealingKey key, TimestampAuthority tsa, RevocationSource revocation, Clock clock) {
    this.key = key;
    this.tsa = tsa;
    this.revocation = revocation;
    this.clock = clock;
  }

  /**
   * Seals {@code pdf} and returns the sealed file: the input's bytes unchanged, followed by the
   * incremental updates above (one only without revocation data).
   *
   * @throws IOException if the PDF cannot be read, or the timestamp authority cannot be reached
   * @throws GeneralSecurityException if the key cannot sign, or the timestamp is not acceptable
   */
  public SealedPdf seal(byte[] pdf, SealOptions options) throws IOException, GeneralSecurityException {
    List<X509Certificate> tsaChain = tsa.certificateChain();
    Instant signingTime = clock.instant().truncatedTo(ChronoUnit.SECONDS); // as /M holds it

    ByteArrayOutputStream sealed = new ByteArrayOutputStream(pdf.length + 64 * 1024);
    CadesSignature.Result signature;
    try (PDDocument document = load(pdf); SignatureOptions signatureOptions = new SignatureOptions()) {
      if (document.isEncrypted()) {
        throw new IOException("Cannot seal the PDF: it is encrypted");
      }
      if (document.getNumberOfPages() == 0) {
        throw new IOException("Cannot seal the PDF: it has no page");
      }
      PDSignature dictionary = new PDSignature();
      dictionary.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      dictionary.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
      dictionary.setName(commonName(key.certificate()));
      dictionary.setSignDate(calendar(signingTime));
      if (options.reason() != null) {
        dictionary.setReason(options.reason());
      }
      if (options.location() != null) {
        dictionary.setLocation(options.location());
      }

      PDSignatureField reserved = reservedField(document, options.fieldName());
      PDRectangle reservedRectangle = null;
      PDAppearanceDictionary reservedAppearance = null;
      if (reserved != null) {
        reservedRectangle = reserved.getWidgets().get(0).getRectangle();
        reservedAppearance = reserved.getWidgets().get(0).getAppearance();
        reserved.getCOSObject().setItem(COSName.V, dictionary);
      } else if (options.placement() != null) {
        if (options.placement().pageIndex() >= document.getNumberOfPages()) {
          throw new IllegalArgumentException("Cannot place the seal on page " + options.placement().pageIndex()
              + ": the PDF has " + document.getNumberOfPages() + " pages");
        }
        signatureOptions.setPage(options.placement().pageIndex());
      }
      signatureOptions.setPreferredSignatureSize(reservedSize(key.certificateChain(), tsaChain));
      document.addSignature(dictionary, signatureOptions);

      PDSignatureField field = reserved != null ? reserved : fieldOf(document, dictionary);
      if (reserved == null) {
        field.setPartialName(options.fieldName());
      }
      shapeWidget(document, field.getWidgets().get(0), reserved != null, reservedRectangle, reservedAppearance, options,
          appearanceLines(key.certificate(), signingTime));

      ExternalSigningSupport external = document.saveIncrementalForExternalSigning(sealed);
      byte[] signedContent = external.getContent().readAllBytes();
      signature = CadesSignature.sign(signedContent, key, tsa);
      checkTimestampCertificate(signature.timestamp(), tsaChain);
      if (signature.der().length > signatureOptions.getPreferredSignatureSize()) {
        throw new IOException("Cannot seal: the signature needs " + signature.der().length + " bytes, more than the "
            + signatureOptions.getPreferredSignatureSize() + " reserved");
      }
      external.setSignature(signature.der());
    }
    Instant stamped = signature.timestamp().getTimeStampInfo().getGenTime().toInstant();
    List<X509Certificate> certificates = LongTermRevisions.distinct(key.certificateChain(), tsaChain);
    List<X509CRL> crls = freshRevocationData(certificates, stamped);
    if (crls.isEmpty()) {
      return new SealedPdf(sealed.toByteArray(), signingTime, stamped, SealVerifier.LEVEL_T);
    }
    byte[] withValidationData = LongTermRevisions.addValidationData(sealed.toByteArray(), certificates, crls, clock.instant());
    LongTermRevisions.Stamped archived = LongTermRevisions.addDocumentTimestamp(withValidationData, tsa);
    return new SealedPdf(archived.pdf(), signingTime, stamped, SealVerifier.LEVEL_LTA);
  }

  /**
   * Revocation data for the chains issued after the signature timestamp: asked for again (up to three
   * seconds) while the source's answer is not younger than the timestamp, as right after sealing.
   */
  private List<X509CRL> freshRevocationData(List<X509Certificate> certificates, Instant stamped)
      throws IOException, GeneralSecurityException {
    for (int attempt = 0; ; attempt++) {
      List<X509CRL> crls = revocation.crlsFor(certificates);
      if (crls.stream().allMatch(crl -> crl.getThisUpdate().toInstant().isAfter(stamped))) {
        return crls;
      }
      if (attempt == 3) {
        throw new GeneralSecurityException("Cannot seal at level LTA: the revocation source gives no CRL issued after the signature timestamp "
            + stamped);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Cannot seal: interrupted while waiting for revocation data", e);
      }
    }
  }

  /**
   * PDFBox leaves the widget invisible (a zero rectangle, an empty appearance); this makes it what the
   * options say: a reserved field gets its rectangle back and its own appearance (or text, with a
   * font); a new field with a placement gets that rectangle and a frame (and text, with a font).
   */
  private static void shapeWidget(PDDocument document, PDAnnotationWidget widget, boolean reserved, PDRectangle reservedRectangle,
      PDAppearanceDictionary reservedAppearance, SealOptions options, List<String> lines) throws IOException {
    PDFont font = options.appearanceFont() == null ? null : font(document, options.appearanceFont());
    if (reserved) {
      if (reservedRectangle != null && reservedRectangle.getWidth() > 0 && reservedRectangle.getHeight() > 0) {
        widget.setRectangle(reservedRectangle);
        if (font != null) {
          widget.setAppearance(appearance(document, reservedRectangle, false, font, lines));
        } else if (reservedAppearance != null) {
          widget.setAppearance(reservedAppearance);
        }
        widget.getCOSObject().setNeedToBeUpdated(true);
      }
    } else if (options.placement() != null) {
      SealOptions.Placement where = options.placement();
      PDRectangle rectangle = new PDRectangle(where.x(), where.y(), where.width(), where.height());
      widget.setRectangle(rectangle);
      widget.setAppearance(appearance(document, rectangle, true, font, lines));
    }
  }

  /**
   * What the seal's box shows: the agency (the certificate's organisation), the seal certificate's
   * subject, the signing time and the kind of seal. Nothing about the person: it is the agency's mark.
   */
  static List<String> appearanceLines(X509Certificate certificate, Instant signingTime) {
    String organisation = attribute(certificate, "O");
    return List.of(
        "Sealed by " + (organisation == null ? commonName(certificate) : organisation),
        "Seal: " + certificate.getSubjectX500Principal().getName(),
        "Signed " + SHOWN.format(signingTime),
        "PAdES B-LTA seal, RFC 3161 timestamps");
  }

  private static PDDocument load(byte[] pdf) throws IOException {
    try {
      return Loader.loadPDF(pdf);
    } catch (IOException e) {
      throw new IOException("Cannot seal the PDF: it cannot be read: " + e.getMessage(), e);
    }
  }

  /** The form's unsigned signature field of that name, or {@code null} if the form has none. */
  private static PDSignatureField reservedField(PDDocument document, String name) {
    PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
    PDField field = form == null ? null : form.getField(name);
    if (field == null) {
      return null;
    }
    if (!(field instanceof PDSignatureField signatureField)) {
      throw new IllegalArgumentException("Cannot seal into field '" + name + "': it is a " + field.getFieldType() + " field, not a signature field");
    }
    if (signatureField.getSignature() != null) {
      throw new IllegalArgumentException("Cannot seal into field '" + name + "': it is signed already");
    }
    if (signatureField.getWidgets().isEmpty()) {
      throw new IllegalArgumentException("Cannot seal into field '" + name + "': it has no widget");
    }
    return signatureField;
  }

  private static PDSignatureField fieldOf(PDDocument document, PDSignature dictionary) throws IOException {
    for (PDSignatureField field : document.getSignatureFields()) {
      PDSignature value = field.getSignature();
      if (value != null && value.getCOSObject() == dictionary.getCOSObject()) {
        return field;
      }
    }
    throw new IOException("Cannot seal: PDFBox made no signature field");
  }

  /**
   * Room for the CMS: the seal's chain and the TSA's chain (which the token may carry whole), plus
   * the attributes, the token's own structure and the signature values.
   */
  static int reservedSize(List<X509Certificate> sealChain, List<X509Certificate> tsaChain) throws GeneralSecurityException {
    int size = 8192;
    for (X509Certificate certificate : sealChain) {
      size += certificate.getEncoded().length;
    }
    for (X509Certificate certificate : tsaChain) {
      size += certificate.getEncoded().length;
    }
    return size;
  }

  /** A TrueType font embedded as a subset (PDF/A wants every font embedded). */
  private static PDFont font(PDDocument document, Path file) throws IOException {
    try {
      return PDType0Font.load(document, file.toFile());
    } catch (IOException e) {
      throw new IOException("Cannot use the seal's appearance font " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The widget's appearance: a frame (for a field the sealer made; a reserved field has the form's
   * frame around it) and, with a font, who sealed and when.
   */
  private static PDAppearanceDictionary appearance(PDDocument document, PDRectangle where, boolean frame, PDFont font, List<String> lines)
      throws IOException {
    PDAppearanceStream appearance = new PDAppearanceStream(document);
    appearance.setBBox(new PDRectangle(where.getWidth(), where.getHeight()));
    appearance.setResources(new PDResources());
    try (PDPageContentStream content = new PDPageContentStream(document, appearance)) {
      if (frame) {
        content.setLineWidth(0.8f);
        content.addRect(0.5f, 0.5f, where.getWidth() - 1f, where.getHeight() - 1f);
        content.stroke();
      }
      if (font != null) {
        // The largest size from 9 pt down at which the lines, wrapped to the box's width, fit its height.
        float size = 9f;
        List<String> wrapped = wrap(font, lines, size, where.getWidth() - 8f);
        while (size > 4f && (wrapped.size() * size * 1.25f + 4f > where.getHeight())) {
          size -= 0.5f;
          wrapped = wrap(font, lines, size, where.getWidth() - 8f);
        }
        content.beginText();
        content.setFont(font, size);
        content.setLeading(size * 1.25f);
        content.newLineAtOffset(4f, where.getHeight() - size - 3f);
        for (String line : wrapped) {
          content.showText(line);
          content.newLine();
        }
        content.endText();
      }
    }
    PDAppearanceDictionary appearances = new PDAppearanceDictionary();
    appearances.setNormalAppearance(appearance);
    return appearances;
  }

  /** The lines as the font shows them at {@code size}, broken after a comma or a space so that each fits {@code width}. */
  private static List<String> wrap(PDFont font, List<String> lines, float size, float width) throws IOException {
    List<String> wrapped = new ArrayList<>();
    for (String line : lines) {
      String rest = shown(font, line);
      while (!rest.isEmpty()) {
        int end = rest.length();
        while (end > 1 && font.getStringWidth(rest.substring(0, end)) / 1000f * size > width) {
          int breakAt = Math.max(rest.lastIndexOf(',', end - 2), rest.lastIndexOf(' ', end - 2));
          end = breakAt > 0 ? breakAt + 1 : end - 1;
        }
        wrapped.add(rest.substring(0, end).strip());
        rest = rest.substring(end).strip();
      }
    }
    return wrapped;
  }

  /** The line as the font can show it: characters it has no glyph for become '?'. */
  private static String shown(PDFont font, String line) {
    StringBuilder shown = new StringBuilder(line.length());
    line.codePoints().forEach(c -> {
      String character = new String(Character.toChars(c));
      try {
        font.encode(character);
        shown.append(character);
      } catch (IOException | IllegalArgumentException e) {
        shown.append('?');
      }
    });
    return shown.toString();
  }

  /** The token must be signed by the certificate the DSS already names, or the seal would lack its validation data. */
  private static void checkTimestampCertificate(TimeStampToken token, List<X509Certificate> tsaChain) throws GeneralSecurityException {
    X509Certificate signer = TimestampTokens.signerCertificate(token, tsaChain);
    if (tsaChain.isEmpty() || !signer.equals(tsaChain.get(0))) {
      throw new GeneralSecurityException("Cannot seal: the timestamp authority signed with " + signer.getSubjectX500Principal().getName()
          + ", not the certificate whose validation data was embedded; seal again");
    }
  }

  static String commonName(X509Certificate certificate) {
    String name = attribute(certificate, "CN");
    return name == null ? certificate.getSubjectX500Principal().getName() : name;
  }

  private static String attribute(X509Certificate certificate, String type) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      // no such attribute to show
    }
    return null;
  }

  private static Calendar calendar(Instant instant) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    calendar.setTimeInMillis(instant.toEpochMilli());
    return calendar;
  }

  @Override
  public String toString() {
    return "PadesSealer[" + key + ", " + tsa + "]";
  }
}
