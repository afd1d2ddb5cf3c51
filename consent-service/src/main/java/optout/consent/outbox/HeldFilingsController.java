package optout.consent.outbox;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The clerks' queue of held filings, under the counter's API (clerks only, by the counter's access
 * rule): what the registry refused and why, and a resolution with a reason.
 */
@RestController
@Tag(name = "counter")
class HeldFilingsController {

  static final String HELD = "/api/v1/counter/held-filings";

  private final HeldFilings held;

  HeldFilingsController(HeldFilings held) {
    this.held = held;
  }

  /** A resolution: retry delivery, or close as refused; the reason is recorded, and for close told to the citizen. */
  record ResolutionRequest(
      @NotNull @Pattern(regexp = "retry|close", message = "must be retry or close") String action,
      @NotBlank @Size(max = 500) String reason) {}

  @GetMapping(HELD)
  @Operation(summary = "Filings the registry refused for a domain reason, oldest first, each waiting for a clerk (the person masked)")
  List<HeldFilings.Held> list() {
    return held.list(200);
  }

  @PostMapping(HELD + "/{filingId}/resolution")
  @Operation(summary = "Resolve a held filing: retry delivery, or close it as refused with the reason the citizen is told")
  HeldFilings.Resolution resolve(@PathVariable @Size(max = 64) String filingId, @Valid @RequestBody ResolutionRequest request,
      JwtAuthenticationToken caller) {
    HeldFilings.Action action = HeldFilings.Action.valueOf(request.action().toUpperCase(Locale.ROOT));
    return held.resolve(filingId, action, request.reason().strip(), caller.getToken().getSubject())
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-held-filing", "No such held filing",
            "There is no filing with this ID waiting for a clerk (it may have been resolved already)."));
  }
}
