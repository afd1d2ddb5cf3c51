package optout.portal.citizen;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import optout.platform.seal.LocalTimestampAuthority;
import optout.platform.seal.pki.DemoPki;
import optout.platform.seal.pki.DemoSealCertificate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local demo's seal set-up on loopback: a demo PKI in a temporary directory (as the consent service makes it), the
 * portal's seal issued under it ({@link DemoSealCertificate}, as {@code ./optout up} does), and the demo TSA answering
 * RFC 3161 over HTTP as the consent service's {@code POST /tsa} does (and its CRL as {@code GET /pki/crl}): only for a token whose realm roles hold
 * {@code timestamp-client} (401 otherwise).
 */
public final class TsaStandIn implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public final Path directory;
  public final DemoPki pki;
  public final Path keystore;
  public final Path passwordFile;
  public final AtomicInteger refused = new AtomicInteger();
  private final HttpServer server;

  public TsaStandIn() throws Exception {
    directory = Files.createTempDirectory("portal-report-pki");
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    keystore = directory.resolve("keys/portal-report-seal.p12");
    passwordFile = directory.resolve("keys/portal-report-seal.pass");
    DemoSealCertificate.issue(pki, keystore, passwordFile, "NHI Opt-out Research Portal Report Seal (demo)");
    LocalTimestampAuthority tsa = pki.timestampAuthority();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/tsa", exchange -> {
      byte[] query = exchange.getRequestBody().readAllBytes();
      if (!realmRoles(exchange.getRequestHeaders().getFirst("Authorization")).contains("timestamp-client")) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      }
      byte[] reply = tsa.respond(query);
      exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
    });
    server.createContext("/pki/crl", exchange -> {
      byte[] crl;
      try {
        crl = pki.currentCrl().getEncoded();
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
      exchange.sendResponseHeaders(200, crl.length);
      exchange.getResponseBody().write(crl);
      exchange.close();
    });
    server.start();
  }

  /** The demo root's CRL, issued on each call, as the consent service's {@code GET /pki/crl}. */
  public String crlUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/pki/crl";
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa";
  }

  private static List<String> realmRoles(String header) {
    String[] parts = header == null || !header.startsWith("Bearer ") ? new String[0] : header.substring(7).split("\\.");
    List<String> roles = new ArrayList<>();
    if (parts.length == 3) {
      JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("realm_access").path("roles").forEach(r -> roles.add(r.asString()));
    }
    return roles;
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
  }
}
