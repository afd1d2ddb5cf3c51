package optout.portal.application;

import static optout.platform.security.PlatformRole.RESEARCHER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** A researcher's applications: drafts, the ethics approval, submission, withdrawal. Each researcher sees only their own. */
@RestController
@Validated
@Tag(name = "applications")
class ApplicationController {

  static final String APPLICATIONS = "/api/v1/applications";

  private final ApplicationDesk desk;

  ApplicationController(ApplicationDesk desk) {
    this.desk = desk;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    /** Researchers only; which application is theirs is decided per request, by the token's subject. */
    @Bean
    ApiAuthorization applicationAccess() {
      return rules -> rules.requestMatchers(APPLICATIONS, APPLICATIONS + "/**").hasAnyAuthority(authorities(RESEARCHER));
    }
  }

  record Withdrawal(@Size(max = 4000) String reason) {}

  @PostMapping(APPLICATIONS)
  @Operation(summary = "Start an application as a draft (optionally with content); a repeated Idempotency-Key answers the same draft")
  ResponseEntity<ApplicationView> create(JwtAuthenticationToken caller, @RequestBody(required = false) @Valid ApplicationContent content,
      @RequestHeader(name = "Idempotency-Key", required = false)
      @Pattern(regexp = "[A-Za-z0-9._:-]{8,64}", message = "must be 8 to 64 letters, digits or ._:-") String idempotencyKey) {
    ApplicationDesk.Created created = desk.create(caller.getToken().getSubject(), content, idempotencyKey);
    return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .header(HttpHeaders.LOCATION, APPLICATIONS + "/" + created.application().id())
        .body(created.application());
  }

  @GetMapping(APPLICATIONS)
  @Operation(summary = "The caller's applications, newest first, each with whose turn it is")
  List<ApplicationView.Summary> list(JwtAuthenticationToken caller) {
    return desk.list(caller.getToken().getSubject());
  }

  @GetMapping(APPLICATIONS + "/{id}")
  @Operation(summary = "One of the caller's applications: current version, versions, history, comments shown to them, decisions")
  ApplicationView view(JwtAuthenticationToken caller, @PathVariable UUID id) {
    return desk.view(caller.getToken().getSubject(), id);
  }

  @PutMapping(APPLICATIONS + "/{id}")
  @Operation(summary = "Save the draft (the whole form); after a request for changes the first save starts a new version")
  ApplicationView save(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestBody @Valid ApplicationContent content) {
    return desk.save(caller.getToken().getSubject(), id, content);
  }

  @PutMapping(path = APPLICATIONS + "/{id}/ethics-approval", consumes = MediaType.APPLICATION_PDF_VALUE)
  @Operation(summary = "Upload the ethics approval (a PDF of at most 5 MB, with pages, not encrypted)")
  ApplicationView ethicsApproval(JwtAuthenticationToken caller, @PathVariable UUID id,
      @RequestBody(required = false) byte[] pdf) {
    return desk.attachEthicsApproval(caller.getToken().getSubject(), id, pdf);
  }

  @GetMapping(APPLICATIONS + "/{id}/ethics-approval")
  @Operation(summary = "The ethics approval of the current version, as uploaded")
  ResponseEntity<byte[]> ethicsApproval(JwtAuthenticationToken caller, @PathVariable UUID id) {
    return Pdfs.download(desk.ethicsApproval(caller.getToken().getSubject(), id), "ethics-approval.pdf");
  }

  @GetMapping(APPLICATIONS + "/{id}/versions/{version}")
  @Operation(summary = "One version as it was written (submitted versions never change)")
  ApplicationView.Version version(JwtAuthenticationToken caller, @PathVariable UUID id, @PathVariable int version) {
    return desk.version(caller.getToken().getSubject(), id, version);
  }

  @PostMapping(APPLICATIONS + "/{id}/submit")
  @Operation(summary = "Submit: 422 with every problem at its field, or the submitted application (the reviewers' turn)")
  ApplicationView submit(JwtAuthenticationToken caller, @PathVariable UUID id) {
    return desk.submit(caller.getToken().getSubject(), id);
  }

  @PostMapping(APPLICATIONS + "/{id}/withdraw")
  @Operation(summary = "Withdraw the application (not once it is decided)")
  ApplicationView withdraw(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestBody(required = false) @Valid Withdrawal withdrawal) {
    return desk.withdraw(caller.getToken().getSubject(), id, withdrawal == null ? null : withdrawal.reason());
  }
}
