package optout.consent.verify;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import optout.consent.filing.Digests;
import optout.consent.filing.FilingRecord;
import optout.consent.filing.FilingStore;
import optout.consent.registrylog.LogProofs;
import optout.platform.seal.InvalidSealException;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.VerifiedSeal;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public check of a receipt. Whoever holds a receipt (the citizen, or someone they show it to) can
 * check that the filing exists, and that a copy of the form is exactly the archived one; they learn what
 * the receipt already states and the form's hash, nothing about the person. Codes are 80-bit HMACs of
 * the filing ID, so they cannot be guessed; an unknown code gets the same answer whether or not it is
 * well formed beyond its shape.
 */
@RestController
@Tag(name = "verification")
class VerificationController {

  static final String VERIFY = "/api/v1/verify";
  /** A sealed form is some 100 KB; anything near this is not one. */
  static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
  private static final Pattern CODE = Pattern.compile("[A-Z2-7]{16}");

  private final FilingStore store;
  private final SealVerifier verifier;
  private final LogProofs logProofs;

  VerificationController(FilingStore store, SealVerifier verifier, LogProofs logProofs) {
    this.store = store;
    this.verifier = verifier;
    this.logProofs = logProofs;
  }

  /** What the receipt states, confirmed, the sealed form's SHA-256, and whether the registry's log is proven to hold it. */
  record Verification(String code, String filingId, String kind, List<String> scopes, Instant signedAt, Instant sealedAt, String formSha256,
      LogProofs.LogStatus registryLog) {}

  /** Whether a copy of the form is the archived one, and whether its seal holds. */
  record DocumentCheck(boolean matches, boolean sealValid, String detail) {}

  @GetMapping(VERIFY + "/{code}")
  @Operation(summary = "Check a receipt's verification code: the filing exists; what the receipt states")
  Verification verify(@PathVariable String code) {
    FilingRecord filing = filing(code);
    return new Verification(filing.receiptCode(), filing.filingId(), filing.kind(), filing.scopes(), filing.signedAt(), filing.sealedAt(),
        filing.formSha256(), logProofs.of(filing.filingId()));
  }

  @PostMapping(value = VERIFY + "/{code}/document", consumes = "application/pdf")
  @Operation(summary = "Check that a copy of the sealed form is exactly the archived one, and that its seal holds")
  DocumentCheck document(@PathVariable String code, @RequestBody byte[] pdf) {
    FilingRecord filing = filing(code);
    if (pdf.length == 0 || pdf.length > MAX_DOCUMENT_BYTES) {
      throw new IllegalArgumentException("document: a sealed form of 1 to " + MAX_DOCUMENT_BYTES + " bytes is expected");
    }
    // The form as filed, or a version archive-timestamped since (./optout consent restamp), which keeps the
    // form as filed, whose SHA-256 the registry knows, as its exact prefix.
    int filedLength = store.document(filing.formSha256()).map(document -> document.content().length).orElse(0);
    boolean asFiled = Digests.sha256Hex(pdf).equals(filing.formSha256());
    boolean restamped = !asFiled && filedLength > 0 && pdf.length > filedLength
        && Digests.sha256Hex(java.util.Arrays.copyOf(pdf, filedLength)).equals(filing.formSha256());
    boolean matches = asFiled || restamped;
    try {
      VerifiedSeal seal = verifier.verify(pdf);
      return new DocumentCheck(matches, true, asFiled
          ? "This is the archived form, unaltered; its seal by " + seal.signer() + " holds, timestamped " + seal.timestampTime() + "."
          : restamped
          ? "This is the archived form, unaltered, with archive timestamps added since (its first " + filedLength
              + " bytes are the form as filed); its seal by " + seal.signer() + " holds, timestamped " + seal.timestampTime() + ", "
              + seal.documentTimestampTimes().size() + " document timestamps."
          : "The seal of this PDF holds, but it is not the form archived for this receipt.");
    } catch (InvalidSealException invalid) {
      return new DocumentCheck(false, false, "This PDF is not the archived form: its seal does not hold (" + invalid.getMessage() + ").");
    }
  }

  private FilingRecord filing(String code) {
    String normalised = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    if (!CODE.matcher(normalised).matches()) {
      throw new IllegalArgumentException("code: a verification code is 16 letters A-Z and digits 2-7, as printed on the receipt");
    }
    return store.byReceiptCode(normalised).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "unknown-code",
        "Unknown verification code", "No filing has this verification code. Check the code on the receipt."));
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization verificationAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, VERIFY + "/*").permitAll()
          .requestMatchers(HttpMethod.POST, VERIFY + "/*/document").permitAll();
    }
  }
}
