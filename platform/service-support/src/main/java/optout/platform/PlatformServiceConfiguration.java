package optout.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import optout.platform.problem.ProblemDetailsAdvice;
import optout.platform.identity.CallerIdentities;
import optout.platform.limits.BodySizeLimitFilter;
import optout.platform.limits.BodySizeLimits;
import optout.platform.limits.RequestRateLimitFilter;
import optout.platform.limits.RequestRateLimits;
import optout.platform.problem.ProblemResponses;
import optout.platform.requestid.RequestIdFilter;
import optout.platform.security.ResourceServerConfiguration;
import optout.platform.security.ResourceServerProperties;
import optout.platform.session.SessionEndpointConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** What {@link EnablePlatformService} brings into a service. */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:optout-platform-defaults.properties")
@EnableConfigurationProperties({ResourceServerProperties.class, BodySizeLimits.class, RequestRateLimits.class})
@Import({ResourceServerConfiguration.class, ProblemDetailsAdvice.class, SessionEndpointConfiguration.class})
public class PlatformServiceConfiguration {

  static final String BEARER_SCHEME = "keycloak-bearer";

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
    FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** After the request ID (so a refusal quotes it), before security and before anything reads the body. */
  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(BodySizeLimits limits, ProblemResponses problems) {
    FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
        new BodySizeLimitFilter(limits.maxBodySize(), limits.bodyLimits(), problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }

  /** After the request ID, before the body limit: a client past its budget is turned away before its body is read. */
  @Bean
  FilterRegistrationBean<RequestRateLimitFilter> requestRateLimitFilter(RequestRateLimits limits, ProblemResponses problems) {
    FilterRegistrationBean<RequestRateLimitFilter> registration = new FilterRegistrationBean<>(new RequestRateLimitFilter(limits, problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  CallerIdentities callerIdentities(ResourceServerProperties security, ObjectProvider<RestClient.Builder> builder) {
    return new CallerIdentities(security, builder.getIfAvailable(RestClient::builder));
  }

  @Bean
  OpenAPI platformOpenApi(
      @Value("${spring.application.name}") String service,
      @Value("${optout.service.description:}") String description) {
    return new OpenAPI()
        .info(new Info().title(service).description(description).version("v1"))
        .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
            .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
            .description("An access token of the nhi-optout Keycloak realm that names this service as audience.")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
  }
}
