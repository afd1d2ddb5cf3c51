package optout.trustcentre;

import optout.platform.testing.ResourceServerContractTest;
import optout.platform.testing.TestKeys;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The platform's resource-server contract, run against the whole trust centre. */
class TrustCentreSecurityIT extends ResourceServerContractTest {

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry properties) throws Exception {
    TestKeys.register(properties);
  }

  @Override
  protected String protectedPath() {
    return "/api/v1/audit-events";
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
