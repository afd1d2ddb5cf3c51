package optout.consent.seal;

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

  public static int[] byteRange(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return document.getLastSignatureDictionary().getByteRange();
    }
  }

  public static PDSignature signatureDictionary(PDDocument document) throws IOException {
    return document.getLastSignatureDictionary();
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
