package optout.platform.requestid;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** The ID of the request being served, as logged (MDC key {@value #MDC_KEY}) and returned to the caller. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";

  /** A caller's own ID is kept only if it is plainly an ID: it ends up in logs. */
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private RequestIds() {}

  public static Optional<String> current() {
    return Optional.ofNullable(MDC.get(MDC_KEY));
  }

  /** The caller's ID if it is acceptable, else a fresh random one. */
  static String acceptOrCreate(String supplied) {
    if (supplied != null && ACCEPTABLE.matcher(supplied).matches()) {
      return supplied;
    }
    return UUID.randomUUID().toString();
  }
}
