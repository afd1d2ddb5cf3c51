package optout.registry;

import optout.platform.session.SessionEndpoint;
import optout.platform.testing.ResourceServerContractTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The platform's resource-server contract, run against the whole opt-out registry. */
class RegistrySecurityIT extends ResourceServerContractTest {

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) throws Exception {
    RegistryTestSetup.register(properties);
  }

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
