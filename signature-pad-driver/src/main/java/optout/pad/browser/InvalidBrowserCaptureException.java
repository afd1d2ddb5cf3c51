package optout.pad.browser;

/**
 * A capture file that is well-formed but cannot have come from the browser component; the message
 * says why. An {@link IllegalArgumentException}, like {@code InvalidCaptureException} (whose
 * constructor is not open to other packages), so a service answers both with 400.
 */
public final class InvalidBrowserCaptureException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  InvalidBrowserCaptureException(String problem) {
    super("Cannot accept the browser capture: " + problem);
  }
}
