package optout.consent.form;

/**
 * Where the form was signed. The codes are the registry's; a filing by a legal representative is a
 * {@link Representative} on top of either channel, since a parent may come to a counter or file
 * online alike (the registry's event names such filings with its channel {@code proxy}).
 */
public enum Channel {
  /** At a counter, a clerk having checked identity; signed on a signature pad. */
  COUNTER("counter"),
  /** Online, the signer having logged in; signed with a pen or finger in the browser. */
  ONLINE("online");

  private final String code;

  Channel(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
