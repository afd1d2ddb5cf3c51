package optout.pseudonymizer.reidentify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.Test;

/** Shares sealed to one request open with its release secret, for that request as approved, and nowhere else. */
class RequestSealTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  private static ReidentificationRequest request(String reason) {
    return request(reason, 1);
  }

  private static ReidentificationRequest request(String reason, int version) {
    return ReidentificationRequest.file("reviewer", ProjectId.of("nhird-2026-0042"),
        new ReidentificationRequest.Extract("EX-20261206-0000abcd", version), List.of(20_000_000_001L, 20_000_000_002L),
        "Medical Care Act art. 70", reason, NOW, Duration.ofDays(7));
  }

  private static CustodianShare randomShare() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return CustodianShare.of(bytes);
  }

  @Test
  void theRequestersSecretOpensBothSharesForTheRequestAsApproved() throws Exception {
    ReidentificationRequest request = request("adverse reaction");
    RequestSeal.Created seal = RequestSeal.create(request.id());
    CustodianShare a = randomShare();
    CustodianShare b = randomShare();
    byte[] context = RequestSeal.context(request);
    List<byte[]> sealed = List.of(RequestSeal.sealShare(seal.publicKey(), a, context), RequestSeal.sealShare(seal.publicKey(), b, context));

    List<CustodianShare> opened = RequestSeal.openShares(seal.sealedPrivateKey(), seal.releaseSecret(), request.id(), sealed, context);
    assertThat(opened).extracting(CustodianShare::encoded).containsExactly(a.encoded(), b.encoded());

    String wrong = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThatThrownBy(() -> RequestSeal.openShares(seal.sealedPrivateKey(), wrong, request.id(), sealed, context))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("does not open");
    assertThatThrownBy(() -> RequestSeal.openShares(seal.sealedPrivateKey(), "!!", request.id(), sealed, context))
        .isInstanceOf(GeneralSecurityException.class);
    ReidentificationRequest other = request("adverse reaction");
    assertThatThrownBy(() -> RequestSeal.openShares(seal.sealedPrivateKey(), seal.releaseSecret(), other.id(), sealed, context))
        .as("the sealed private key is bound to its request").isInstanceOf(GeneralSecurityException.class);
    byte[] changed = RequestSeal.context(ReidentificationRequest.restore(request.id(), request.requester(), request.project(),
        request.extract(), List.of(20_000_000_001L), request.legalBasis(), request.reason(), request.requestedAt(), request.expiresAt(),
        request.status(), request.approvals()));
    assertThatThrownBy(() -> RequestSeal.openShares(seal.sealedPrivateKey(), seal.releaseSecret(), request.id(), sealed, changed))
        .as("a share approved for two pseudonyms does not open for one of them").isInstanceOf(GeneralSecurityException.class);
    assertThat(RequestSeal.context(request("another purpose"))).isNotEqualTo(context);
    byte[] otherVersion = RequestSeal.context(ReidentificationRequest.restore(request.id(), request.requester(), request.project(),
        new ReidentificationRequest.Extract(request.extract().id(), 2), request.pseudonyms(), request.legalBasis(), request.reason(),
        request.requestedAt(), request.expiresAt(), request.status(), request.approvals()));
    assertThatThrownBy(() -> RequestSeal.openShares(seal.sealedPrivateKey(), seal.releaseSecret(), request.id(), sealed, otherVersion))
        .as("a share approved for warehouse key v1 does not open for v2").isInstanceOf(GeneralSecurityException.class);
  }
}
