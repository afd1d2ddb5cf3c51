package optout.platform.seal;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

/** Reading back what the sealer wrote, for the tests' own assertions. */
public final class SealedForms {

  private SealedForms() {}

  /** The seal's byte range (not a document timestamp's). */
  public static int[] byteRange(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return signatureDictionary(document).getByteRange();
    }
  }

  /** The seal's signature dictionary: the one CAdES signature among the document timestamps. */
  public static PDSignature signatureDictionary(PDDocument document) throws IOException {
    for (PDSignature signature : document.getSignatureDictionaries()) {
      if (PDSignature.SUBFILTER_ETSI_CADES_DETACHED.getName().equals(signature.getSubFilter())) {
        return signature;
      }
    }
    throw new AssertionError("no seal in the PDF");
  }

  /** The document timestamps' signature dictionaries, in file order. */
  public static java.util.List<PDSignature> documentTimestamps(PDDocument document) throws IOException {
    java.util.List<PDSignature> timestamps = new java.util.ArrayList<>();
    for (PDSignature signature : document.getSignatureDictionaries()) {
      if ("ETSI.RFC3161".equals(signature.getSubFilter())) {
        timestamps.add(signature);
      }
    }
    timestamps.sort(java.util.Comparator.comparingInt(t -> t.getByteRange()[2]));
    return timestamps;
  }

  public static CMSSignedData cms(byte[] pdf) throws Exception {
    return new CMSSignedData(SealVerifier.contents(pdf, byteRange(pdf)));
  }

  public static SignerInformation signer(byte[] pdf) throws Exception {
    return cms(pdf).getSignerInfos().getSigners().iterator().next();
  }

  public static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
