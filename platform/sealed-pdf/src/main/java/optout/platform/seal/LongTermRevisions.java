package optout.platform.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * The incremental updates that make a sealed PDF long-term (ETSI EN 319 142-1 5.4 and 5.5): validation
 * data in the document security store (DSS, with a /VRI entry for the signature or timestamp it
 * serves), and a document timestamp ({@code /Type /DocTimeStamp}, {@code /SubFilter /ETSI.RFC3161})
 * over everything before it. Each call returns the input's bytes unchanged followed by one revision.
 */
final class LongTermRevisions {

  static final COSName DSS = COSName.getPDFName("DSS");
  static final COSName CERTS = COSName.getPDFName("Certs");
  static final COSName CRLS = COSName.getPDFName("CRLs");
  static final COSName VRI = COSName.getPDFName("VRI");
  static final COSName CERT = COSName.getPDFName("Cert");
  static final COSName CRL = COSName.getPDFName("CRL");
  static final COSName TU = COSName.getPDFName("TU");
  static final COSName ETSI_RFC3161 = COSName.getPDFName("ETSI.RFC3161");
  private static final COSName EXTENSIONS = COSName.getPDFName("Extensions");
  private static final COSName ESIC = COSName.getPDFName("ESIC");

  private LongTermRevisions() {}

  /**
   * Adds {@code certificates} and {@code crls} to the DSS (merged into one the PDF may have; a
   * certificate or CRL it holds already is not added again) and a /VRI entry, naming the same streams,
   * for the PDF's last signature or document timestamp (the one the data is for).
   */
  static byte[] addValidationData(byte[] pdf, List<X509Certificate> certificates, List<X509CRL> crls, Instant now)
      throws IOException, GeneralSecurityException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      byte[] signatureContents = lastSignature(document).getContents();
      COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
      COSDictionary dss = catalog.getCOSDictionary(DSS);
      if (dss == null) {
        dss = new COSDictionary();
        catalog.setItem(DSS, dss);
      }
      COSArray vriCerts = new COSArray();
      COSArray certs = arrayIn(dss, CERTS);
      for (X509Certificate certificate : certificates) {
        vriCerts.add(streamFor(document, certs, certificate.getEncoded()));
      }
      COSArray vriCrls = new COSArray();
      COSArray revocations = arrayIn(dss, CRLS);
      for (X509CRL crl : crls) {
        vriCrls.add(streamFor(document, revocations, crl.getEncoded()));
      }
      COSDictionary vri = dss.getCOSDictionary(VRI);
      if (vri == null) {
        vri = new COSDictionary();
        dss.setItem(VRI, vri);
      }
      COSDictionary entry = new COSDictionary();
      entry.setItem(CERT, vriCerts);
      if (vriCrls.size() > 0) {
        entry.setItem(CRL, vriCrls);
      }
      entry.setDate(TU, calendar(now));
      vri.setItem(COSName.getPDFName(vriKey(signatureContents)), entry);

      declareExtension(document, catalog);
      markUpdated(catalog, dss, certs, revocations, vri, entry);
      ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 16 * 1024);
      document.saveIncremental(out);
      return out.toByteArray();
    }
  }

  /**
   * Adds a document timestamp from {@code tsa} over the whole file as it will be, in an invisible
   * signature field.
   *
   * @return the new file and the token
   */
  static Stamped addDocumentTimestamp(byte[] pdf, TimestampAuthority tsa) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = tsa.certificateChain();
    ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 32 * 1024);
    TimeStampToken token;
    try (PDDocument document = Loader.loadPDF(pdf); SignatureOptions options = new SignatureOptions()) {
      PDSignature timestamp = new PDSignature();
      timestamp.setType(COSName.DOC_TIME_STAMP);
      timestamp.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      timestamp.setSubFilter(ETSI_RFC3161);
      int reserved = 8192;
      for (X509Certificate certificate : chain) {
        reserved += certificate.getEncoded().length;
      }
      options.setPreferredSignatureSize(reserved);
      document.addSignature(timestamp, options);
      ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(external.getContent().readAllBytes());
      token = tsa.timestamp(digest);
      TimestampTokens.checkImprint(token, digest, "this document's bytes");
      byte[] der = token.getEncoded(ASN1Encoding.DER);
      if (der.length > reserved) {
        throw new IOException("Cannot add the document timestamp: it needs " + der.length + " bytes, more than the " + reserved + " reserved");
      }
      external.setSignature(der);
    }
    return new Stamped(out.toByteArray(), token);
  }

  record Stamped(byte[] pdf, TimeStampToken token) {}

  /**
   * The /VRI key of a signature (ETSI EN 319 142-1 5.4.2.3): the upper-case hexadecimal SHA-1 of its
   * /Contents bytes as PDFBox reads them (the whole string, padding included), as Adobe and PDFBox do.
   */
  static String vriKey(byte[] signatureContents) throws GeneralSecurityException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(signatureContents)).toUpperCase(Locale.ROOT);
  }

  /** The signature or document timestamp whose signed range reaches furthest into the file. */
  static PDSignature lastSignature(PDDocument document) throws IOException {
    PDSignature last = null;
    for (PDSignature signature : document.getSignatureDictionaries()) {
      int[] range = signature.getByteRange();
      if (range != null && range.length == 4 && (last == null || range[2] + range[3] > last.getByteRange()[2] + last.getByteRange()[3])) {
        last = signature;
      }
    }
    if (last == null) {
      throw new IOException("Cannot add validation data: the PDF carries no signature");
    }
    return last;
  }

  /** The DSS stream with these bytes, added to {@code array} if the DSS does not hold it yet. */
  private static COSStream streamFor(PDDocument document, COSArray array, byte[] der) throws IOException {
    for (COSBase item : array) {
      COSBase value = item instanceof COSObject object ? object.getObject() : item;
      if (value instanceof COSStream existing) {
        try (var in = existing.createInputStream()) {
          if (java.util.Arrays.equals(in.readAllBytes(), der)) {
            return existing;
          }
        }
      }
    }
    COSStream stream = document.getDocument().createCOSStream();
    try (OutputStream out = stream.createOutputStream()) {
      out.write(der);
    }
    stream.setNeedToBeUpdated(true);
    array.add(stream);
    return stream;
  }

  private static COSArray arrayIn(COSDictionary dictionary, COSName key) {
    COSBase existing = dictionary.getDictionaryObject(key);
    if (existing instanceof COSArray array) {
      return array;
    }
    COSArray array = new COSArray();
    dictionary.setItem(key, array);
    return array;
  }

  /** The ESIC extension level 5 that PDF 1.7 readers look for (PDF 2.0 has the DSS natively). */
  private static void declareExtension(PDDocument document, COSDictionary catalog) {
    if (document.getVersion() >= 2.0f) {
      return;
    }
    if (document.getVersion() < 1.7f) {
      document.setVersion(1.7f);
    }
    COSDictionary extensions = catalog.getCOSDictionary(EXTENSIONS);
    if (extensions == null) {
      extensions = new COSDictionary();
      catalog.setItem(EXTENSIONS, extensions);
    }
    if (!extensions.containsKey(ESIC)) {
      COSDictionary esic = new COSDictionary();
      esic.setItem(COSName.getPDFName("BaseVersion"), COSName.getPDFName("1.7"));
      esic.setInt(COSName.getPDFName("ExtensionLevel"), 5);
      extensions.setItem(ESIC, esic);
    }
    extensions.setNeedToBeUpdated(true);
  }

  private static void markUpdated(COSBase... objects) {
    for (COSBase object : objects) {
      if (object instanceof COSDictionary dictionary) {
        dictionary.setNeedToBeUpdated(true);
      } else if (object instanceof COSArray array) {
        array.setNeedToBeUpdated(true);
      }
    }
  }

  static Calendar calendar(Instant instant) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    calendar.setTimeInMillis(instant.toEpochMilli());
    return calendar;
  }

  static List<X509Certificate> distinct(List<X509Certificate> first, List<X509Certificate> second) {
    List<X509Certificate> all = new ArrayList<>(first);
    for (X509Certificate certificate : second) {
      if (!all.contains(certificate)) {
        all.add(certificate);
      }
    }
    return all;
  }
}
