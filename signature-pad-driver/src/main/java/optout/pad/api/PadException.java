package optout.pad.api;

import java.io.IOException;

/** The pad cannot do what was asked: it is gone, busy, refuses the command, or answered nonsense. */
public class PadException extends IOException {
  private static final long serialVersionUID = 1L;

  public PadException(String message) {
    super(message);
  }

  public PadException(String message, Throwable cause) {
    super(message, cause);
  }
}
