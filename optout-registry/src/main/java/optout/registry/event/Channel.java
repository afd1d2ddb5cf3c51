package optout.registry.event;

import java.util.Arrays;
import java.util.Optional;

/** Where a filing was made. */
public enum Channel {
  /** At a counter, the clerk having checked the citizen's identity. */
  COUNTER("counter"),
  /** Online, the citizen having logged in. */
  ONLINE("online"),
  /** By a legal representative for someone else (a parent for a minor, a guardian for a ward). */
  PROXY("proxy");

  private final String code;

  Channel(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<Channel> fromCode(String code) {
    return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
  }
}
