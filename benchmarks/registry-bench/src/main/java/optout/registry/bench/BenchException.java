package optout.registry.bench;

/** The benchmark cannot run (no platform, a wrong option, a registry that will not start): said plainly, exit 2. */
final class BenchException extends Exception {
  private static final long serialVersionUID = 1L;

  BenchException(String message) {
    super(message);
  }

  BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
