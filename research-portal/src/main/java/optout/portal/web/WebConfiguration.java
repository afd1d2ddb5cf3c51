package optout.portal.web;

import optout.platform.web.SecurityHeadersFilter;
import optout.platform.web.SharedPageAssets;
import optout.platform.security.ApiAuthorization;
import optout.platform.security.ResourceServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the researchers', reviewers' and citizens' pages: anyone may fetch them (they hold no data; the API
 * behind them checks every call), their routes, and the security headers every response carries.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class WebConfiguration implements WebMvcConfigurer {

  static final String[] PAGES = {"research", "review", "citizen", "oversight"};

  /** Pages, their scripts and styles, and the sign-in configuration; never the API. */
  static final String[] PUBLIC_PATHS = {
    WebController.WEB_CONFIG, "/assets/**", SharedPageAssets.PATTERN, "/", "/research", "/research/**", "/review", "/review/**",
    "/citizen", "/citizen/**", "/oversight", "/oversight/**"
  };

  @Bean
  ApiAuthorization pageAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, PUBLIC_PATHS).permitAll();
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/", "/research/");
    for (String page : PAGES) {
      registry.addRedirectViewController("/" + page, "/" + page + "/");
      registry.addViewController("/" + page + "/").setViewName("forward:/" + page + "/index.html");
    }
  }

  /** Right after the request ID and the body limit, so that every answer carries the headers, refusals too. */
  @Bean
  FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(ResourceServerProperties security) {
    FilterRegistrationBean<SecurityHeadersFilter> registration =
        new FilterRegistrationBean<>(new SecurityHeadersFilter(security.issuer()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }
}
