package optout.registry;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;

/** The platform's resource-server contract, run against the whole opt-out registry. */
class RegistrySecurityIT extends ResourceServerContractTest {

  @Override
  protected String protectedPath() {
    return SessionEndpoint.PATH;
  }

  @Override
  protected String permittedUser() {
    return "auditor-demo";
  }

  @Override
  protected String refusedUser() {
    return "researcher-demo";
  }
}
