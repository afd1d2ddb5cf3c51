package optout.registry.event.store;

import java.nio.charset.StandardCharsets;
import optout.registry.event.LeafAuthenticator;

/**
 * A {@code person_rekey} row's MAC under the registry's row key: the row says that the person filed as
 * {@code fromPerson} under warehouse key {@code fromVersion} is {@code toPerson} under {@code toVersion},
 * and only the registry's re-key writes such rows, so one inserted behind its back is told apart and ignored.
 */
public final class PersonRekeys {

  private static final String CONTEXT = "nhi-optout-person-rekey/1\n";

  private PersonRekeys() {}

  public static byte[] mac(LeafAuthenticator authenticator, int toVersion, int fromVersion, long fromPerson, long toPerson) {
    return authenticator.mac(text(toVersion, fromVersion, fromPerson, toPerson));
  }

  public static boolean authentic(LeafAuthenticator authenticator, int toVersion, int fromVersion, long fromPerson, long toPerson,
      byte[] mac) {
    return mac != null && authenticator.verify(text(toVersion, fromVersion, fromPerson, toPerson), mac);
  }

  private static byte[] text(int toVersion, int fromVersion, long fromPerson, long toPerson) {
    return (CONTEXT + toVersion + " " + fromVersion + " " + fromPerson + " " + toPerson + "\n").getBytes(StandardCharsets.US_ASCII);
  }
}
