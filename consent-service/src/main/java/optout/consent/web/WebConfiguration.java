package optout.consent.web;

import optout.platform.web.SecurityHeadersFilter;
import optout.platform.web.SharedPageAssets;
import optout.platform.security.ApiAuthorization;
import optout.platform.security.ResourceServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the pages: who may fetch them (anyone: they hold no data, the API behind them checks every
 * call), the page routes, and the security headers every response carries.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

  static final String[] PAGES = {"counter", "online", "verify"};

  /** Pages, their scripts and styles, and the sign-in configuration; never the API. */
  static final String[] PUBLIC_PATHS = {
    WebController.WEB_CONFIG, "/assets/**", SharedPageAssets.PATTERN,
    "/counter", "/counter/**", "/online", "/online/**", "/verify", "/verify/**"
  };

  @Bean
  ApiAuthorization pageAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, PUBLIC_PATHS).permitAll();
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    for (String page : PAGES) {
      registry.addRedirectViewController("/" + page, "/" + page + "/");
      registry.addViewController("/" + page + "/").setViewName("forward:/" + page + "/index.html");
    }
    // The receipt's QR code leads to /verify/{code}. No dot in the pattern, so /verify/index.html never matches it.
    registry.addViewController("/verify/{code:[A-Za-z0-9-]{1,64}}").setViewName("forward:/verify/index.html");
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
