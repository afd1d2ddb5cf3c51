package optout.trustcentre;

import optout.platform.testing.ResourceServerContractTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The platform's resource-server contract, run against the whole trust centre. */
class TrustCentreSecurityIT extends ResourceServerContractTest {

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry properties) throws Exception {
    CustodyFixture.register(properties);
    connectAsApplicationRole();
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
