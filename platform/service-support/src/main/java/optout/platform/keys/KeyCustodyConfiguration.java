package optout.platform.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.custody.KeyCustody;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Opens the key custodies of the duties a service has, each from its own variables (the pseudonymizer's,
 * so the command line and the services read the same configuration: {@code OPTOUT_<DUTY>_KEYSTORE} and
 * its passphrase). A service imports the duties it needs and no others; a missing custody, or one that
 * holds another duty's keys, stops it at start. The beans are named {@value #WAREHOUSE} and
 * {@value #IDENTITY}: inject them by {@code @Qualifier}.
 */
public final class KeyCustodyConfiguration {

  public static final String WAREHOUSE = "warehouseCustody";
  public static final String IDENTITY = "identityCustody";

  private KeyCustodyConfiguration() {}

  /** The warehouse key (layer 1). */
  @Configuration(proxyBeanMethods = false)
  public static class WarehouseDuty {
    @Bean(name = WAREHOUSE, destroyMethod = "close")
    KeyCustody warehouseCustody(Environment environment) throws GeneralSecurityException, IOException {
      return open(Duty.WAREHOUSE, environment);
    }
  }

  /** The identity key (sealed IDs for a person's own view). */
  @Configuration(proxyBeanMethods = false)
  public static class IdentityDuty {
    @Bean(name = IDENTITY, destroyMethod = "close")
    KeyCustody identityCustody(Environment environment) throws GeneralSecurityException, IOException {
      return open(Duty.IDENTITY, environment);
    }
  }

  static KeyCustody open(Duty duty, Environment environment) throws GeneralSecurityException, IOException {
    Map<String, String> variables = new HashMap<>();
    for (String name : duty.variables()) {
      String value = environment.getProperty(name);
      if (value != null) {
        variables.put(name, value);
      }
    }
    return KeyCustodies.openForDuty(duty, variables);
  }
}
