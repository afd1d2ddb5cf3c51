package optout.registry.exemption;

/** A releasing service invoked a legal exemption that no auditor granted to it (or that was revoked). */
public class ExemptionNotGrantedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ExemptionNotGrantedException(String exemption) {
    super("Legal exemption " + exemption + " is not granted to this service: an auditor grants it, citing the act that approved it");
  }
}
