package optout.platform.seal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An external RFC 3161 timestamp authority over HTTP (RFC 3161 section 3.4: a POST of
 * {@code application/timestamp-query}, answered with {@code application/timestamp-reply}). A reply
 * is used only after every check: status granted, our nonce, our imprint, the requested policy if
 * any, a signature by a certificate with the critical timeStamping extended key usage that chains to
 * one of the configured roots at the token's time. The TSA's certificate chain, which the sealer
 * embeds, is learnt from its first token.
 */
public final class HttpTimestampAuthority implements TimestampAuthority {

  /** Larger replies are refused: a token with a few certificates is a few kilobytes. */
  static final int MAX_REPLY_BYTES = 256 * 1024;
  private static final byte[] PROBE = "optout consent seal: TSA certificate probe".getBytes(StandardCharsets.US_ASCII);

  private final URI url;
  private final List<X509Certificate> trustedRoots;
  private final ASN1ObjectIdentifier policy;
  private final Duration timeout;
  private final HttpClient client;
  private final Supplier<String> bearerToken;
  private final SecureRandom random = new SecureRandom();
  private volatile List<X509Certificate> chain;

  private HttpTimestampAuthority(URI url, List<X509Certificate> trustedRoots, ASN1ObjectIdentifier policy, Duration timeout,
      Supplier<String> bearerToken) {
    this.url = url;
    this.bearerToken = bearerToken;
    this.trustedRoots = trustedRoots;
    this.policy = policy;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * @param url the TSA's HTTP(S) address
   * @param trustedRoots the roots the TSA's certificate must chain to
   * @param policy the TSA policy to request, or {@code null} for the TSA's default
   * @param timeout for connecting and for the whole exchange
   */
  public static HttpTimestampAuthority create(URI url, List<X509Certificate> trustedRoots, ASN1ObjectIdentifier policy, Duration timeout) {
    return create(url, trustedRoots, policy, timeout, null);
  }

  /**
   * As {@link #create(URI, List, ASN1ObjectIdentifier, Duration)}, for a TSA that wants an OAuth2 bearer token (the
   * consent service's built-in one wants the realm role {@code timestamp-client}): each request carries the token the
   * supplier gives (never logged, never in the URL).
   *
   * @param bearerToken gives the token for each request, or {@code null} for none
   */
  public static HttpTimestampAuthority create(URI url, List<X509Certificate> trustedRoots, ASN1ObjectIdentifier policy, Duration timeout,
      Supplier<String> bearerToken) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Cannot use the timestamp authority at " + url + ": it needs an http or https URL");
    }
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("Cannot use the timestamp authority at " + url + ": no trusted root for its certificate");
    }
    return new HttpTimestampAuthority(url, List.copyOf(trustedRoots), policy, timeout, bearerToken);
  }

  @Override
  public TimeStampToken timestamp(byte[] sha256) throws IOException, GeneralSecurityException {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("Cannot timestamp: a SHA-256 digest has 32 bytes, not " + sha256.length);
    }
    TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
    requests.setCertReq(true);
    if (policy != null) {
      requests.setReqPolicy(policy);
    }
    TimeStampRequest request = requests.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, random));
    TimeStampResponse response = exchange(request);
    TimeStampToken token = TimestampTokens.checkReply(request, response);
    List<X509Certificate> path = TimestampTokens.verify(token, List.of(), trustedRoots, null);
    chain = List.copyOf(path);
    return token;
  }

  private TimeStampResponse exchange(TimeStampRequest request) throws IOException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply");
    if (bearerToken != null) {
      builder.header("Authorization", "Bearer " + bearerToken.get());
    }
    HttpRequest post = builder.POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build();
    HttpResponse<InputStream> answer;
    try {
      answer = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Cannot reach the timestamp authority at " + url + ": interrupted", e);
    } catch (IOException e) {
      throw new IOException("Cannot reach the timestamp authority at " + url + ": " + e.getMessage(), e);
    }
    try (InputStream body = answer.body()) {
      byte[] bytes = body.readNBytes(MAX_REPLY_BYTES + 1);
      if (answer.statusCode() != 200) {
        throw new IOException("Cannot use the timestamp authority at " + url + ": it answered HTTP " + answer.statusCode());
      }
      String type = answer.headers().firstValue("Content-Type").orElse("");
      if (!type.toLowerCase(Locale.ROOT).startsWith("application/timestamp-reply")) {
        throw new IOException("Cannot use the timestamp authority at " + url + ": it answered " + (type.isEmpty() ? "no content type" : type)
            + ", not application/timestamp-reply");
      }
      if (bytes.length > MAX_REPLY_BYTES) {
        throw new IOException("Cannot use the timestamp authority at " + url + ": its reply is larger than " + MAX_REPLY_BYTES + " bytes");
      }
      try {
        return new TimeStampResponse(bytes);
      } catch (TSPException | IOException | IllegalArgumentException | ClassCastException e) {
        throw new IOException("Cannot use the timestamp authority at " + url + ": its reply is not an RFC 3161 response", e);
      }
    }
  }

  /** The chain learnt from the last token; the first call asks the TSA for a token to learn it. */
  @Override
  public List<X509Certificate> certificateChain() throws IOException, GeneralSecurityException {
    List<X509Certificate> known = chain;
    if (known == null) {
      timestamp(MessageDigest.getInstance("SHA-256").digest(PROBE));
      known = chain;
    }
    return known;
  }

  @Override
  public String toString() {
    return "HttpTimestampAuthority[" + url + (policy == null ? "" : ", policy " + policy) + "]";
  }
}
