package optout.portal.registrylog;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link RegistryLogProperties} once, for every feature that checks the registry's log. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryLogProperties.class)
class RegistryLogConfiguration {}
