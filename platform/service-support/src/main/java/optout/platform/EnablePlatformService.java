package optout.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Makes a Spring Boot application a platform service: Keycloak resource server with deny-by-default
 * access rules, problem details, request IDs and the shared session endpoint. Put it beside
 * {@code @SpringBootApplication}; declare the service's rules as
 * {@link optout.platform.security.ApiAuthorization} beans.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(PlatformServiceConfiguration.class)
public @interface EnablePlatformService {}
