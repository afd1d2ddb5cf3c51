package optout.platform.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import optout.platform.seal.pki.DemoPki;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in RFC 3161 authority, in-process and over HTTP, and the HTTP client's refusals: an
 * in-test server on the loopback address serves the local authority honestly and in several wrong ways.
 */
class TimestampAuthorityTest {

  private static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");

  @TempDir static Path directory;
  static DemoPki pki;
  static LocalTimestampAuthority local;
  static HttpServer server;
  static URI base;

  @BeforeAll
  static void serveTheLocalAuthority() throws Exception {
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    local = pki.timestampAuthority();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/tsa", query -> local.respond(query));
    serve("/wrong-nonce", query -> local.respond(rewrite(query, request -> regenerate(request.getMessageImprintDigest(),
        request.getNonce().add(BigInteger.ONE)))));
    serve("/wrong-imprint", query -> local.respond(rewrite(query, request -> regenerate(new byte[32], request.getNonce()))));
    serve("/reject", query -> local.respond(new byte[] {1, 2, 3}));
    server.createContext("/html", exchange -> answer(exchange, 200, "text/html", "<html>hello</html>".getBytes(StandardCharsets.UTF_8)));
    server.createContext("/broken", exchange -> answer(exchange, 500, "text/plain", "oops".getBytes(StandardCharsets.UTF_8)));
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  interface Responder {
    byte[] respond(byte[] query) throws Exception;
  }

  private static void serve(String path, Responder responder) {
    server.createContext(path, exchange -> {
      byte[] query = exchange.getRequestBody().readAllBytes();
      boolean rightType = "application/timestamp-query".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
      try {
        answer(exchange, rightType ? 200 : 415, "application/timestamp-reply", responder.respond(query));
      } catch (Exception e) {
        answer(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static byte[] rewrite(byte[] query, UnaryOperator<TimeStampRequest> change) throws IOException {
    return change.apply(new TimeStampRequest(query)).getEncoded();
  }

  private static TimeStampRequest regenerate(byte[] imprint, BigInteger nonce) {
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    return generator.generate(TSPAlgorithms.SHA256, imprint, nonce);
  }

  private static HttpTimestampAuthority client(String path) {
    return HttpTimestampAuthority.create(base.resolve(path), List.of(pki.rootCertificate()), null, Duration.ofSeconds(5));
  }

  private static byte[] digest(String text) throws Exception {
    return SealedForms.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theLocalAuthorityStampsWithItsPolicyAccuracyAndUniqueSerials() throws Exception {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      TimeStampToken token = local.timestamp(digest("form " + i));
      assertThat(token.getTimeStampInfo().getPolicy()).isEqualTo(LocalTimestampAuthority.POLICY);
      assertThat(token.getTimeStampInfo().getAccuracy().getSeconds().intValueExact()).isEqualTo(1);
      assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest("form " + i));
      assertThat(token.getTimeStampInfo().getSerialNumber().signum()).isPositive();
      assertThat(token.getTimeStampInfo().getSerialNumber().bitLength()).isBetween(127, 127);
      serials.add(token.getTimeStampInfo().getSerialNumber());
      assertThat(TimestampTokens.verify(token, List.of(), List.of(pki.rootCertificate()), List.of(pki.currentCrl())))
          .containsExactly(pki.timestampCertificate(), pki.rootCertificate());
    }
    assertThat(serials).hasSize(5);
    assertThat(local.certificateChain()).containsExactly(pki.timestampCertificate(), pki.rootCertificate());
    assertThat(local.toString()).contains("NHI Opt-out Demo Timestamp Authority", LocalTimestampAuthority.POLICY.getId());
  }

  /** A key that belongs to no certificate: the authority refuses the certificate before it would use the key. */
  private static java.security.PrivateKey privateKeyOfNothing() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair().getPrivate();
  }

  @Test
  void theLocalAuthorityVouchesForItsClockAndRefusesANonTimestampingCertificate() throws Exception {
    DemoPki fixedPki = DemoPki.openOrCreate(pki.directory(), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.fixed(NOW, ZoneOffset.UTC));
    TimeStampToken token = fixedPki.timestampAuthority().timestamp(digest("x"));
    assertThat(token.getTimeStampInfo().getGenTime().toInstant()).isEqualTo(NOW);
    assertThatThrownBy(() -> LocalTimestampAuthority.create(privateKeyOfNothing(), List.of(pki.agencyCertificate()), Clock.systemUTC()))
        .hasMessage("Cannot run the timestamp authority: its certificate needs the critical timeStamping extended key usage and no other");
  }

  @Test
  void theLocalAuthorityAnswersBadRequestsWithRejections() throws Exception {
    TimeStampResponse garbage = new TimeStampResponse(local.respond("not a request".getBytes(StandardCharsets.US_ASCII)));
    assertThat(garbage.getStatus()).isEqualTo(PKIStatus.REJECTION);
    assertThat(garbage.getFailInfo()).isEqualTo(new PKIFailureInfo(PKIFailureInfo.badDataFormat));

    TimeStampRequestGenerator sha1 = new TimeStampRequestGenerator();
    TimeStampResponse weak = new TimeStampResponse(local.respond(sha1.generate(TSPAlgorithms.SHA1, new byte[20]).getEncoded()));
    assertThat(weak.getStatus()).isEqualTo(PKIStatus.REJECTION);
    assertThat(weak.getFailInfo()).isEqualTo(new PKIFailureInfo(PKIFailureInfo.badAlg));

    TimeStampRequestGenerator otherPolicy = new TimeStampRequestGenerator();
    otherPolicy.setReqPolicy(new ASN1ObjectIdentifier("1.2.3.4"));
    TimeStampResponse policy = new TimeStampResponse(local.respond(otherPolicy.generate(TSPAlgorithms.SHA256, new byte[32]).getEncoded()));
    assertThat(policy.getStatus()).isEqualTo(PKIStatus.REJECTION);
    assertThat(policy.getFailInfo()).isEqualTo(new PKIFailureInfo(PKIFailureInfo.unacceptedPolicy));
  }

  @Test
  void theHttpClientGetsACheckedTokenAndLearnsTheChain() throws Exception {
    HttpTimestampAuthority http = client("/tsa");
    assertThat(http.certificateChain()).containsExactly(pki.timestampCertificate(), pki.rootCertificate());
    TimeStampToken token = http.timestamp(digest("form"));
    assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest("form"));
    assertThat(token.getTimeStampInfo().getNonce()).isNotNull();
    assertThat(http.toString()).contains(base.toString());
  }

  @Test
  void theHttpClientAsksForTheConfiguredPolicy() throws Exception {
    HttpTimestampAuthority withPolicy = HttpTimestampAuthority.create(base.resolve("/tsa"), List.of(pki.rootCertificate()),
        LocalTimestampAuthority.POLICY, Duration.ofSeconds(5));
    assertThat(withPolicy.timestamp(digest("form")).getTimeStampInfo().getPolicy()).isEqualTo(LocalTimestampAuthority.POLICY);
    HttpTimestampAuthority otherPolicy = HttpTimestampAuthority.create(base.resolve("/tsa"), List.of(pki.rootCertificate()),
        new ASN1ObjectIdentifier("1.2.3.4"), Duration.ofSeconds(5));
    assertThatThrownBy(() -> otherPolicy.timestamp(digest("form")))
        .hasMessageStartingWith("Cannot use the timestamp: the TSA refused the request (status 2");
  }

  @Test
  void aReplyToAnotherNonceIsRefused() {
    assertThatThrownBy(() -> client("/wrong-nonce").timestamp(digest("form")))
        .hasMessage("Cannot use the timestamp: the TSA's reply answers another request (its nonce differs from ours)");
  }

  @Test
  void aReplyStampingAnotherDigestIsRefused() {
    assertThatThrownBy(() -> client("/wrong-imprint").timestamp(digest("form")))
        .hasMessage("Cannot use the timestamp: the TSA stamped another digest than the one we sent (message imprint differs)");
  }

  @Test
  void aRejectionIsReportedWithItsStatus() {
    assertThatThrownBy(() -> client("/reject").timestamp(digest("form")))
        .hasMessageStartingWith("Cannot use the timestamp: the TSA refused the request (status 2, \"not a timestamp request\"");
  }

  @Test
  void aTsaThatDoesNotChainToTheConfiguredRootIsRefused() throws Exception {
    DemoPki other = DemoPki.openOrCreate(directory.resolve("other-pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    HttpTimestampAuthority untrusting = HttpTimestampAuthority.create(base.resolve("/tsa"), List.of(other.rootCertificate()), null,
        Duration.ofSeconds(5));
    assertThatThrownBy(() -> untrusting.timestamp(digest("form")))
        .hasMessageStartingWith("Cannot trust the timestamp authority's certificate (CN=NHI Opt-out Demo Timestamp Authority");
  }

  @Test
  void nonRfc3161AnswersAndUnreachableTsasAreIoErrors() throws Exception {
    assertThatThrownBy(() -> client("/html").timestamp(digest("form"))).isInstanceOf(IOException.class)
        .hasMessageEndingWith("it answered text/html, not application/timestamp-reply");
    assertThatThrownBy(() -> client("/broken").timestamp(digest("form"))).isInstanceOf(IOException.class)
        .hasMessageEndingWith("it answered HTTP 500");
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpTimestampAuthority nowhere = HttpTimestampAuthority.create(URI.create("http://127.0.0.1:" + closedPort + "/tsa"),
        List.of(pki.rootCertificate()), null, Duration.ofSeconds(2));
    assertThatThrownBy(() -> nowhere.timestamp(digest("form"))).isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot reach the timestamp authority at http://127.0.0.1:" + closedPort + "/tsa");
    assertThatThrownBy(() -> HttpTimestampAuthority.create(URI.create("ftp://example.invalid/"), List.of(pki.rootCertificate()), null,
        Duration.ofSeconds(1))).hasMessageContaining("it needs an http or https URL");
  }

  @Test
  void aFormSealedWithTheHttpAuthorityVerifies() throws Exception {
    PadesSealer sealer = new PadesSealer(pki.agencySealingKey(), client("/tsa"), pki.revocationSource(), Clock.systemUTC());
    SealedPdf sealed = sealer.seal(TestForms.plain(), SealOptions.defaults());
    VerifiedSeal seal = new SealVerifier(List.of(pki.rootCertificate())).verify(sealed.pdf());
    assertThat(seal.level()).isEqualTo("PAdES-BASELINE-LTA");
    Path nss = ExternalTools.nssDatabase(directory.resolve("nss"), pki.rootCertificateFile());
    assertThat(ExternalTools.pdfsig(nss, Files.write(directory.resolve("http.pdf"), sealed.pdf())).output().lines())
        .containsAll(PadesSealerTest.PDFSIG_VALID);
  }
}
