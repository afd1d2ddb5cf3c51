package optout.consent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import optout.consent.ConsentIT;
import optout.platform.seal.ExternalTools;
import optout.platform.seal.pki.DemoPki;
import optout.platform.testing.TestKeycloak;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The built-in timestamp authority over HTTP, as OpenSSL uses it: only for platform services (the realm role
 * timestamp-client), never for anyone who asks.
 */
class TimestampEndpointIT extends ConsentIT {

  @Autowired private DemoPki pki;

  private HttpResponse<byte[]> timestamp(String token, HttpRequest.BodyPublisher query) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/tsa")).header("Content-Type", "application/timestamp-query").POST(query);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void theBuiltInAuthorityAnswersRfc3161OverHttpToPlatformServicesOnly() throws Exception {
    Path directory = Files.createTempDirectory(directory(), "tsa");
    Path data = Files.writeString(directory.resolve("data.txt"), "a document");
    ExternalTools.Run query = ExternalTools.run(directory, "openssl", "ts", "-query", "-data", data.toString(), "-sha256", "-cert", "-out", "q.tsq");
    assertThat(query.exit()).as(query.output()).isZero();

    // Nobody signs in to ask for the agency's timestamp: not anonymous callers, not a citizen, not a clerk,
    // not another service's token (the consent service's own account is issued for the registry).
    assertThat(timestamp(null, HttpRequest.BodyPublishers.ofFile(directory.resolve("q.tsq"))).statusCode()).isEqualTo(401);
    for (String user : new String[] {"citizen-demo", "clerk-demo", "auditor-demo"}) {
      assertThat(timestamp(token(user), HttpRequest.BodyPublishers.ofFile(directory.resolve("q.tsq"))).statusCode()).as(user).isEqualTo(403);
    }
    String consentService = TestKeycloak.get().serviceAccountToken("optout-consent");
    assertThat(timestamp(consentService, HttpRequest.BodyPublishers.ofFile(directory.resolve("q.tsq"))).statusCode()).isEqualTo(401);

    String portal = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<byte[]> reply = timestamp(portal, HttpRequest.BodyPublishers.ofFile(directory.resolve("q.tsq")));
    assertThat(reply.statusCode()).isEqualTo(200);
    Files.write(directory.resolve("r.tsr"), reply.body());
    ExternalTools.Run verify = ExternalTools.run(directory, "openssl", "ts", "-verify", "-data", data.toString(), "-in", "r.tsr",
        "-CAfile", pki.directory().resolve(DemoPki.ROOT_FILE).toString(), "-untrusted", pki.directory().resolve(DemoPki.TSA_FILE).toString());
    assertThat(verify.output()).as(verify.output()).contains("Verification: OK");

    HttpResponse<byte[]> garbage = timestamp(portal, HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}));
    assertThat(garbage.statusCode()).isEqualTo(200); // a rejection reply, as RFC 3161 asks
    Files.write(directory.resolve("bad.tsr"), garbage.body());
    assertThat(ExternalTools.run(directory, "openssl", "ts", "-reply", "-in", "bad.tsr", "-text").output()).contains("Status: Rejected.");
  }

  @Test
  void theDemoRootsCrlIsPublicFreshAndSignedByTheRoot() throws Exception {
    java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(uri(CrlController.CRL)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/pkix-crl");
    assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    java.security.cert.X509CRL crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCRL(new java.io.ByteArrayInputStream(answer.body()));
    crl.verify(pki.rootCertificate().getPublicKey());
    assertThat(crl.getThisUpdate().toInstant()).isAfterOrEqualTo(before);
    assertThat(crl.getRevokedCertificates()).isNull();
    assertThat(send(HttpRequest.newBuilder(uri(CrlController.CRL)).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
        .isIn(401, 403, 405);
  }
}
