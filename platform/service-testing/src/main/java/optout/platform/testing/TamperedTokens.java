package optout.platform.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Forgeries of a real token, for proving that services refuse them. */
public final class TamperedTokens {

  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TamperedTokens() {}

  /** The same header and claims with one signature byte changed. */
  public static String withBrokenSignature(String token) {
    String[] parts = parts(token);
    byte[] signature = DECODE.decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    return parts[0] + "." + parts[1] + "." + ENCODE.encodeToString(signature);
  }

  /** The original signature over claims that now also grant {@code realmRole}. */
  public static String withAddedRealmRole(String token, String realmRole) {
    String[] parts = parts(token);
    ObjectNode claims = claims(token);
    ((ObjectNode) claims.get("realm_access")).withArray("roles").add(realmRole);
    return parts[0] + "." + encode(claims) + "." + parts[2];
  }

  /** The real claims under {@code alg: none} with no signature. */
  public static String unsigned(String token) {
    String header = ENCODE.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    return header + "." + parts(token)[1] + ".";
  }

  public static ObjectNode claims(String token) {
    return (ObjectNode) JSON.readTree(DECODE.decode(parts(token)[1]));
  }

  private static String encode(ObjectNode claims) {
    return ENCODE.encodeToString(JSON.writeValueAsBytes(claims));
  }

  private static String[] parts(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("Cannot tamper with token: not a compact JWS");
    }
    return parts;
  }
}
