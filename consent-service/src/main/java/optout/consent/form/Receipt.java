package optout.consent.form;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a citizen's receipt shows: the filing's ID, kind, scopes and signing time, and the verification
 * code with the address to check it at. No national ID, masked or not, and no name: the receipt is
 * meant to be shown to anyone who should be able to check the filing, and tells them nothing about
 * the person.
 *
 * @param verificationBase the public verification endpoint's base, e.g. {@code
 *     https://optout.nhi.gov.tw}; the receipt links to {@code <base>/verify/<code>}
 */
public record Receipt(String filingId, FormKind kind, SortedSet<String> scopes, Instant signedAt, VerificationCode code,
    URI verificationBase) {

  private static final Pattern FILING_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");

  public Receipt {
    if (filingId == null || !FILING_ID.matcher(filingId).matches()) {
      throw new IllegalArgumentException("Cannot prepare the receipt: the filing ID must be 1 to 64 letters, digits or ._:/-");
    }
    if (kind == null || signedAt == null || code == null || verificationBase == null) {
      throw new IllegalArgumentException("Cannot prepare the receipt: kind, signing time, code and verification address are required");
    }
    if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("Cannot prepare the receipt: it must name the filing's scopes");
    }
    scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    checkBase(verificationBase);
  }

  public static Receipt of(String filingId, FormKind kind, Collection<String> scopes, Instant signedAt, VerificationCode code,
      URI verificationBase) {
    if (scopes != null && scopes.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("Cannot prepare the receipt: a scope code is missing");
    }
    return new Receipt(filingId, kind, scopes == null ? null : new TreeSet<>(scopes), signedAt, code, verificationBase);
  }

  /** The receipt for a filing, with the same ID, kind, scopes and time. */
  public static Receipt forFiling(Filing filing, VerificationCode code, URI verificationBase) {
    return new Receipt(filing.filingId(), filing.kind(), filing.scopes(), filing.signedAt(), code, verificationBase);
  }

  /** Where the QR code leads: {@code <base>/verify/<code>}. */
  public URI verificationUrl() {
    String base = verificationBase.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/verify/" + code.value());
  }

  private static void checkBase(URI base) {
    boolean local = "localhost".equals(base.getHost()) || "127.0.0.1".equals(base.getHost());
    if (!base.isAbsolute() || base.getHost() == null || !("https".equals(base.getScheme()) || local && "http".equals(base.getScheme()))) {
      throw new IllegalArgumentException("Cannot prepare the receipt: the verification address must be an absolute https URL (http only for localhost)");
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null || base.toString().length() > 200) {
      throw new IllegalArgumentException("Cannot prepare the receipt: the verification address must have no query, fragment or user, and at most 200 characters");
    }
  }
}
