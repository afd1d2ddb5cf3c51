package optout.consent.form;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import optout.pad.envelope.DocumentBinding;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;

/**
 * Attaches the sealed biometric envelope to a rendered form, PDF/A-3 style, and finds it and the
 * document it is bound to again.
 *
 * <p><b>What the envelope is bound to.</b> The signature-pad driver's {@code BiometricEnvelope} seals
 * the pen's record together with the SHA-256 of "the document being signed". That document is the
 * {@link RenderedForm}: the exact bytes of the form as rendered, with the citizen's signature picture
 * in it. The envelope cannot be bound to the file that contains it (its hash would change when it is
 * added), and binding it to some re-creatable canonical data would leave an examiner to trust that the
 * data and the PDF say the same. Instead the envelope is added as an <em>incremental update</em>: the
 * rendered bytes stay, unchanged, the first revision of the file, and the agency's PAdES seal later
 * appends a further revision that covers everything. So the order is: render → SHA-256 of the
 * rendered bytes → seal the biometric record with that hash → {@link #attach} → PAdES seal.
 *
 * <p><b>How an examiner checks the binding.</b> (1) Check the PAdES seal over the final file (e.g.
 * {@code pdfsig}); it covers the attachment. (2) Extract the envelope ({@code pdfdetach -save 1}, or
 * {@link #envelope}) and open it with the examiner's key; it yields the record and the document's
 * SHA-256. (3) Take the file's first revision, the bytes up to and including the first {@code %%EOF}
 * line (the attachment's description states its length and SHA-256 too), hash it, and compare: equal
 * means this signature was given on exactly this form. {@link #boundRevision} does step 3.
 *
 * <p><b>PDF/A-3 associated file.</b> The envelope is an embedded file stream with its MIME type as
 * {@code /Subtype} ({@code application/cms}, RFC 7193: a CMS AuthEnvelopedData) and {@code /Params}
 * with its size, creation and modification dates and MD5 {@code /CheckSum} (the checksum PDF defines);
 * its file specification has {@code /F} and {@code /UF}, a {@code /Desc}, and {@code /AFRelationship
 * /Data}, since the signature picture on the form is drawn from this record; it is named in the
 * {@code /EmbeddedFiles} name tree and listed in the catalog's {@code /AF} array.
 */
public final class BiometricAttachment {

  /** The attachment's file name, in {@code /F}, {@code /UF} and the name tree. */
  public static final String FILE_NAME = "signature-biometrics.cms";
  /** RFC 7193. */
  public static final String MIME_TYPE = "application/cms";
  /** The largest envelope accepted: an ISO/IEC 19794-7 record of a long signature is well under this. */
  public static final int MAX_ENVELOPE_BYTES = 1024 * 1024;

  private static final COSName AF = COSName.getPDFName("AF");
  private static final COSName AF_RELATIONSHIP = COSName.getPDFName("AFRelationship");

  private BiometricAttachment() {}

  /**
   * {@code form} with {@code envelope} attached as an incremental update: the result starts with
   * exactly the bytes of {@code form}.
   *
   * @param envelope the sealed envelope (CMS AuthEnvelopedData) bound to {@link RenderedForm#sha256()}
   * @param sealedAt when the envelope was sealed: its creation and modification date
   * @throws IllegalArgumentException if the envelope is empty, too large, not a CMS AuthEnvelopedData,
   *     or the form already has an attachment
   */
  public static byte[] attach(RenderedForm form, byte[] envelope, Instant sealedAt) {
    if (form == null || sealedAt == null) {
      throw new IllegalArgumentException("Cannot attach the biometric envelope: the form and the sealing time are required");
    }
    checkEnvelope(envelope);
    byte[] original = form.pdf();
    String boundSha256 = form.sha256Hex();
    try (PDDocument document = Loader.loadPDF(original)) {
      PDDocumentCatalog catalog = document.getDocumentCatalog();
      if (catalog.getNames() != null && catalog.getNames().getEmbeddedFiles() != null || catalog.getCOSObject().containsKey(AF)) {
        throw new IllegalArgumentException("Cannot attach the biometric envelope: the form already has attachments");
      }
      PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(envelope), COSName.FLATE_DECODE);
      file.setSubtype(MIME_TYPE);
      file.setSize(envelope.length);
      file.setCreationDate(PdfA.calendar(sealedAt));
      file.setModDate(PdfA.calendar(sealedAt));
      COSDictionary params = file.getCOSObject().getCOSDictionary(COSName.PARAMS);
      params.setItem(COSName.getPDFName("CheckSum"), new COSString(md5(envelope)));

      PDComplexFileSpecification spec = new PDComplexFileSpecification();
      spec.setFile(FILE_NAME);
      spec.setFileUnicode(FILE_NAME);
      spec.setEmbeddedFile(file);
      spec.setEmbeddedFileUnicode(file);
      spec.setFileDescription("Sealed biometric record of the handwritten signature (CMS AuthEnvelopedData, for the forensic examiner only). "
          + "Bound to revision 1 of this file: bytes 0 to " + (original.length - 1) + ", SHA-256 " + boundSha256 + ".");
      spec.getCOSObject().setItem(AF_RELATIONSHIP, COSName.getPDFName("Data"));

      PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
      tree.setNames(Map.of(FILE_NAME, spec));
      PDDocumentNameDictionary names = new PDDocumentNameDictionary(catalog);
      names.setEmbeddedFiles(tree);
      catalog.setNames(names);
      COSArray associated = new COSArray();
      associated.add(spec);
      catalog.getCOSObject().setItem(AF, associated);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.saveIncremental(out, Set.of(catalog.getCOSObject()));
      byte[] updated = out.toByteArray();
      if (updated.length <= original.length || !startsWith(updated, original)) {
        throw new IllegalStateException("Cannot attach the biometric envelope: the update did not keep the form's bytes as its first revision");
      }
      return updated;
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot attach the biometric envelope: the form cannot be read as a PDF (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The attached envelope's bytes.
   *
   * @throws IllegalArgumentException if the PDF has no biometric envelope
   */
  public static byte[] envelope(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
      PDEmbeddedFilesNameTreeNode tree = names == null ? null : names.getEmbeddedFiles();
      PDComplexFileSpecification spec = tree == null || tree.getNames() == null ? null : tree.getNames().get(FILE_NAME);
      if (spec == null || spec.getEmbeddedFile() == null) {
        throw new IllegalArgumentException("Cannot find the biometric envelope: the PDF has no attachment " + FILE_NAME);
      }
      try (InputStream in = spec.getEmbeddedFile().createInputStream()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot find the biometric envelope: the PDF cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The revision of {@code pdf} whose SHA-256 is {@code documentSha256} (as an opened envelope gives
   * it): the prefix ending at an end-of-file marker that hashes to it. Trying every marker,
   * not trusting any recorded length, means nothing in the file but the hash decides.
   *
   * @throws IllegalArgumentException if no revision of the file has that hash: the envelope does not
   *     belong to this document
   */
  public static byte[] boundRevision(byte[] pdf, byte[] documentSha256) {
    if (pdf == null || documentSha256 == null || documentSha256.length != 32) {
      throw new IllegalArgumentException("Cannot find the bound revision: the PDF and a 32-byte SHA-256 are required");
    }
    Optional<DocumentBinding.Bound> bound = DocumentBinding.find(pdf, documentSha256);
    if (bound.isPresent()) {
      return Arrays.copyOf(pdf, bound.get().length());
    }
    throw new IllegalArgumentException("Cannot find the bound revision: no revision of this PDF has SHA-256 "
        + HexFormat.of().formatHex(documentSha256) + "; the envelope was not sealed for this document");
  }

  private static void checkEnvelope(byte[] envelope) {
    if (envelope == null || envelope.length == 0) {
      throw new IllegalArgumentException("Cannot attach the biometric envelope: it is empty");
    }
    if (envelope.length > MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException("Cannot attach the biometric envelope: it has " + envelope.length + " bytes, more than " + MAX_ENVELOPE_BYTES);
    }
    try {
      ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(envelope));
      if (!CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
        throw new IllegalArgumentException("Cannot attach the biometric envelope: it is CMS " + info.getContentType().getId()
            + ", not AuthEnvelopedData; seal it with the driver's BiometricEnvelope");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException refusal && refusal.getMessage() != null && refusal.getMessage().startsWith("Cannot attach")) {
        throw refusal;
      }
      throw new IllegalArgumentException("Cannot attach the biometric envelope: it is not a CMS structure", e);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this Java runtime", e);
    }
  }
}
