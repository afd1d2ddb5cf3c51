package optout.platform.session;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Registers the package-private {@link SessionController}. */
@Configuration(proxyBeanMethods = false)
@Import(SessionController.class)
public class SessionEndpointConfiguration {}
