package optout.platform.session;

/** Where the shared session endpoint is served, for services' access rules. */
public final class SessionEndpoint {

  public static final String PATH = SessionController.PATH;

  private SessionEndpoint() {}
}
