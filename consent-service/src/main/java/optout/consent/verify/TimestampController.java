package optout.consent.verify;

import static optout.platform.security.PlatformRole.TIMESTAMP_CLIENT;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import optout.platform.seal.LocalTimestampAuthority;
import optout.platform.seal.TimestampAuthority;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The built-in RFC 3161 timestamp authority over HTTP ({@code application/timestamp-query} in, {@code
 * application/timestamp-reply} out), for the platform's own services: a timestamp is the agency's word
 * that a hash existed at a time, so it is given only to callers with the realm role {@code
 * timestamp-client} (a service account), within a budget ({@code optout.http.rate-limits}). Answered
 * only when the service uses its built-in authority; with an external TSA configured it is not there.
 */
@RestController
@Tag(name = "timestamp")
class TimestampController {

  static final String TSA = "/tsa";
  private static final int MAX_QUERY_BYTES = 4096;

  private final TimestampAuthority authority;

  TimestampController(TimestampAuthority authority) {
    this.authority = authority;
  }

  @PostMapping(value = TSA, consumes = "application/timestamp-query", produces = "application/timestamp-reply")
  @Operation(summary = "RFC 3161 timestamp authority (the built-in demo TSA)")
  ResponseEntity<byte[]> timestamp(@RequestBody byte[] query) throws IOException {
    if (!(authority instanceof LocalTimestampAuthority local)) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
    }
    if (query.length > MAX_QUERY_BYTES) {
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).build();
    }
    return ResponseEntity.ok(local.respond(query));
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization timestampAccess() {
      return rules -> rules.requestMatchers(HttpMethod.POST, TSA).hasAnyAuthority(authorities(TIMESTAMP_CLIENT));
    }
  }
}
