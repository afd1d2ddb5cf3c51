package optout.portal;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;

/** The platform's resource-server contract, run against the whole research portal. */
class PortalSecurityIT extends ResourceServerContractTest {

  @Override
  protected String protectedPath() {
    return SessionEndpoint.PATH;
  }

  @Override
  protected String permittedUser() {
    return "researcher-demo";
  }

  @Override
  protected String refusedUser() {
    return "clerk-demo";
  }
}
