package optout.consent.verify;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.GeneralSecurityException;
import optout.platform.security.ApiAuthorization;
import optout.platform.seal.pki.DemoPki;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo PKI's CRL (DER), public as any CRL is: issued fresh by the demo root on each call (nothing of it is ever
 * revoked), so that other platform services sealing under the demo PKI (the research portal's citizen reports) can
 * embed revocation data issued after their signature timestamp (PAdES B-LT, B-LTA).
 */
@RestController
@Tag(name = "verification")
class CrlController {

  static final String CRL = "/pki/crl";

  private final DemoPki pki;

  CrlController(DemoPki pki) {
    this.pki = pki;
  }

  @GetMapping(value = CRL, produces = "application/pkix-crl")
  @Operation(summary = "The demo PKI root's current CRL (DER), issued now")
  ResponseEntity<byte[]> crl() throws GeneralSecurityException {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.parseMediaType("application/pkix-crl"))
        .body(pki.currentCrl().getEncoded());
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization crlAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, CRL).permitAll();
    }
  }
}
