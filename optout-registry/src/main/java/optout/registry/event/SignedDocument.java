package optout.registry.event;

import java.util.regex.Pattern;

/**
 * The signed form behind a filing: where the consent service archived it, and its SHA-256, so that
 * anyone holding the PDF can check it is the one the registry recorded.
 */
public record SignedDocument(String reference, String sha256) {

  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public SignedDocument {
    if (reference == null || !REFERENCE.matcher(reference).matches()) {
      throw new IllegalArgumentException("Cannot record a signed document: its reference must be 1 to 128 letters, digits or ._:/-");
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("Cannot record a signed document: its SHA-256 must be 64 lower-case hex digits");
    }
  }
}
