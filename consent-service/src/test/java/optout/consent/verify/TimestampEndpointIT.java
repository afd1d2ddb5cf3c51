package optout.consent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import optout.consent.ConsentIT;
import optout.consent.seal.ExternalTools;
import optout.consent.seal.HttpTimestampAuthority;
import optout.consent.seal.pki.DemoPki;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The built-in timestamp authority over HTTP, as our own client and OpenSSL use it. */
class TimestampEndpointIT extends ConsentIT {

  @Autowired private DemoPki pki;

  @Test
  void theBuiltInAuthorityAnswersRfc3161OverHttp() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("a form".getBytes());
    HttpTimestampAuthority client = HttpTimestampAuthority.create(uri("/tsa"), List.of(pki.rootCertificate()), null, Duration.ofSeconds(10));
    TimeStampToken token = client.timestamp(digest);
    assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);

    Path directory = Files.createTempDirectory(directory(), "tsa");
    Path data = Files.writeString(directory.resolve("data.txt"), "a document");
    ExternalTools.Run query = ExternalTools.run(directory, "openssl", "ts", "-query", "-data", data.toString(), "-sha256", "-cert", "-out", "q.tsq");
    assertThat(query.exit()).as(query.output()).isZero();
    HttpResponse<byte[]> reply = send(HttpRequest.newBuilder(uri("/tsa")).header("Content-Type", "application/timestamp-query")
        .POST(HttpRequest.BodyPublishers.ofFile(directory.resolve("q.tsq"))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(reply.statusCode()).isEqualTo(200);
    Files.write(directory.resolve("r.tsr"), reply.body());
    ExternalTools.Run verify = ExternalTools.run(directory, "openssl", "ts", "-verify", "-data", data.toString(), "-in", "r.tsr",
        "-CAfile", pki.directory().resolve(DemoPki.ROOT_FILE).toString(), "-untrusted", pki.directory().resolve(DemoPki.TSA_FILE).toString());
    assertThat(verify.output()).as(verify.output()).contains("Verification: OK");

    HttpResponse<byte[]> garbage = send(HttpRequest.newBuilder(uri("/tsa")).header("Content-Type", "application/timestamp-query")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(garbage.statusCode()).isEqualTo(200); // a rejection reply, as RFC 3161 asks
    Files.write(directory.resolve("bad.tsr"), garbage.body());
    assertThat(ExternalTools.run(directory, "openssl", "ts", "-reply", "-in", "bad.tsr", "-text").output()).contains("Status: Rejected.");
  }
}
