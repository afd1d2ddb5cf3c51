package optout.consent;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The platform's resource-server contract, run against the whole consent service. */
class ConsentSecurityIT extends ResourceServerContractTest {

  @DynamicPropertySource
  static void consent(DynamicPropertyRegistry properties) {
    ConsentIT.register(properties);
  }

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
