package optout.registry.event;

import java.util.Arrays;
import java.util.Optional;

/** What happened to a person's opt-out. */
public enum EventType {
  /** Opted out of more scopes (a first opt-out, or additional scopes). */
  OPT_OUT_FILED("opt-out-filed"),
  /** Withdrew an opt-out from some or all scopes: consented again. */
  OPT_OUT_WITHDRAWN("opt-out-withdrawn"),
  /** Replaced the set of opted-out scopes by another, non-empty one. */
  SCOPES_CHANGED("scopes-changed");

  private final String code;

  EventType(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<EventType> fromCode(String code) {
    return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
  }
}
