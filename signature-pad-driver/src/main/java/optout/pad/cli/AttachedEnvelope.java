package optout.pad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;

/** Takes the biometric envelope out of an archived form, where the consent service attached it. */
final class AttachedEnvelope {

  /** The attachment's name, as the consent service's {@code BiometricAttachment} names it. */
  static final String FILE_NAME = "signature-biometrics.cms";
  private static final int MAX_BYTES = 1024 * 1024;

  private AttachedEnvelope() {}

  static byte[] from(Path pdf) throws IOException, GeneralSecurityException {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
      PDEmbeddedFilesNameTreeNode tree = names == null ? null : names.getEmbeddedFiles();
      Map<String, PDComplexFileSpecification> files = tree == null ? null : tree.getNames();
      PDComplexFileSpecification spec = files == null ? null : files.get(FILE_NAME);
      if (spec == null || spec.getEmbeddedFile() == null) {
        throw new GeneralSecurityException("Cannot open: " + pdf + " has no attached biometric envelope (" + FILE_NAME + ")");
      }
      try (InputStream in = spec.getEmbeddedFile().createInputStream()) {
        byte[] envelope = in.readNBytes(MAX_BYTES + 1);
        if (envelope.length > MAX_BYTES) {
          throw new GeneralSecurityException("Cannot open: the attached envelope is larger than " + MAX_BYTES + " bytes");
        }
        return envelope;
      }
    } catch (IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        throw e;
      }
      throw new GeneralSecurityException("Cannot open: " + pdf + " is not a readable PDF (" + e.getMessage() + ")", e);
    }
  }
}
