package optout.consent;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;

/** The platform's resource-server contract, run against the whole consent service. */
class ConsentSecurityIT extends ResourceServerContractTest {

  @Override
  protected String protectedPath() {
    return SessionEndpoint.PATH;
  }

  @Override
  protected String permittedUser() {
    return "clerk-demo";
  }

  @Override
  protected String refusedUser() {
    return "researcher-demo";
  }
}
