package optout.portal;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The platform's resource-server contract, run against the whole research portal. */
class PortalSecurityIT extends ResourceServerContractTest {

  @DynamicPropertySource
  static void portal(DynamicPropertyRegistry properties) {
    connectAsApplicationRole();  // as the portal runs: its application role, with what the migrations grant
    PortalIT.createRunnerRole();
  }

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
