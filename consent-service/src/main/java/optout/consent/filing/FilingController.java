package optout.consent.filing;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.CLERK;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import optout.consent.secrets.ConsentSecrets;
import optout.platform.identity.CallerIdentities;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.platform.security.PlatformRole;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The archive, read: a filing's record, its sealed form and its receipt. A citizen sees the filings
 * about them and those they made for someone else; a clerk the filings they made (the review queue shows
 * a representative's evidence to clerks); an auditor every filing. Anyone else is told the filing does not exist, so a
 * filing ID reveals nothing. A representative's online filing that a clerk has not accepted (pending,
 * or rejected) is not the person's form to its filer: they see only their request's status in their list.
 */
@RestController
@Tag(name = "filings")
class FilingController {

  static final String MY_FILINGS = "/api/v1/me/filings";

  private final FilingStore store;
  private final ConsentSecrets secrets;
  private final CallerIdentities identities;

  FilingController(FilingStore store, ConsentSecrets secrets, CallerIdentities identities) {
    this.store = store;
    this.secrets = secrets;
    this.identities = identities;
  }

  @GetMapping(FilingView.FILINGS + "/{filingId}")
  @Operation(summary = "A filing's record (the person masked), its receipt code and where delivery to the registry stands")
  FilingView filing(@PathVariable String filingId, JwtAuthenticationToken caller) {
    return FilingView.of(readable(filingId, caller));
  }

  @GetMapping(FilingView.FILINGS + "/{filingId}/form.pdf")
  @Operation(summary = "The sealed form (PAdES B-LTA) as archived: its newest archive-timestamped version, which keeps the form as filed as its exact prefix")
  ResponseEntity<byte[]> form(@PathVariable String filingId, JwtAuthenticationToken caller) {
    FilingRecord filing = readable(filingId, caller);
    // the newest archive-timestamped version: the form as filed is its exact prefix
    return pdf(store.currentFormSha256(filing.filingId()), filing.filingId() + ".pdf");
  }

  @GetMapping(FilingView.FILINGS + "/{filingId}/receipt.pdf")
  @Operation(summary = "The receipt with its verification code")
  ResponseEntity<byte[]> receipt(@PathVariable String filingId, JwtAuthenticationToken caller) {
    FilingRecord filing = readable(filingId, caller);
    return pdf(filing.receiptSha256(), filing.filingId() + "-receipt.pdf");
  }

  @GetMapping(MY_FILINGS)
  @Operation(summary = "The caller's filings: those about them and those they made for someone else, newest first")
  List<FilingView> mine(JwtAuthenticationToken caller) {
    byte[] lookup = secrets.personLookup(identities.personId(caller));
    String subject = caller.getToken().getSubject();
    return store.byPerson(lookup, subject, 200).stream()
        .map(filing -> onlyTheRequest(filing, subject) ? FilingView.requestOnly(filing) : FilingView.of(filing)).toList();
  }

  private ResponseEntity<byte[]> pdf(String sha256, String fileName) {
    FilingStore.Document document = store.document(sha256).orElseThrow(() -> new IllegalStateException("An archived document is missing"));
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
        .header("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha256)))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(document.content());
  }

  private FilingRecord readable(String filingId, JwtAuthenticationToken caller) {
    FilingRecord filing = store.byId(filingId).filter(record -> mayRead(record, caller))
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "unknown-filing", "No such filing",
            "There is no filing with this ID that you may see."));
    return filing;
  }

  private boolean mayRead(FilingRecord filing, JwtAuthenticationToken caller) {
    String subject = caller.getToken().getSubject();
    if (has(caller, AUDITOR)) {
      return true;
    }
    if (has(caller, CLERK) && filing.filedByRole().equals("clerk") && filing.filedBySubject().equals(subject)) {
      return true;
    }
    if (has(caller, CITIZEN)) {
      if (store.isAbout(filing.filingId(), secrets.personLookup(identities.personId(caller)))) {
        return true;
      }
      return filing.filedByRole().equals("citizen") && filing.filedBySubject().equals(subject) && !filing.awaitsOrFailedReview();
    }
    return false;
  }

  /** The filer of a representative's filing not (yet) accepted, who is not the person it is about. */
  private boolean onlyTheRequest(FilingRecord filing, String subject) {
    return filing.awaitsOrFailedReview() && filing.filedByRole().equals("citizen") && filing.filedBySubject().equals(subject);
  }

  private static boolean has(JwtAuthenticationToken caller, PlatformRole role) {
    return caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(role.authority()));
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization filingAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, FilingView.FILINGS + "/*", FilingView.FILINGS + "/*/form.pdf", FilingView.FILINGS + "/*/receipt.pdf")
          .hasAnyAuthority(authorities(CITIZEN, CLERK, AUDITOR))
          .requestMatchers(HttpMethod.GET, MY_FILINGS).hasAnyAuthority(authorities(CITIZEN));
    }
  }
}
