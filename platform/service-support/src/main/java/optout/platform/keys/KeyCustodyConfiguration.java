package optout.platform.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Opens the key custody the environment names (the pseudonymizer's own variables, so the command line
 * and the services read the same configuration). A service without keys does not start. Services that
 * hold keys import this; the others never see the pseudonymisation keys.
 */
@Configuration(proxyBeanMethods = false)
public class KeyCustodyConfiguration {

  private static final String[] VARIABLES = {
    KeyCustodies.KEYSTORE_VARIABLE, KeyCustodies.PKCS11_CONFIG_VARIABLE, Passphrase.VARIABLE, Passphrase.FILE_VARIABLE
  };

  @Bean(destroyMethod = "close")
  KeyCustody keyCustody(Environment environment) throws GeneralSecurityException, IOException {
    Map<String, String> variables = new HashMap<>();
    for (String name : VARIABLES) {
      String value = environment.getProperty(name);
      if (value != null) {
        variables.put(name, value);
      }
    }
    return KeyCustodies.openFromEnvironment(variables);
  }
}
