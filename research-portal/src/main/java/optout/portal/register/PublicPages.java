package optout.portal.register;

import optout.platform.security.ApiAuthorization;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The public pages and their API, for anyone without logging in: the register ({@code /register/}) and the
 * statistics ({@code /statistics/}, whose API the statistics feature opens). Only GET of exactly these paths is public;
 * every other method stays denied.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegisterProperties.class)
class PublicPages implements WebMvcConfigurer {

  static final String[] PAGES = {"register", "statistics"};

  static final String[] PUBLIC_PATHS = {
    "/register", "/register/", "/register/index.html", "/statistics", "/statistics/", "/statistics/index.html",
    RegisterController.REGISTER, RegisterController.CSV, RegisterController.CSV_METADATA, RegisterController.REGISTER + "/*",
    RegisterController.REGISTER + "/snapshots", RegisterController.REGISTER + "/snapshots/*", RegisterController.REGISTER + "/snapshots/*/signature",
    RegisterController.REGISTER + "/signing-key"
  };

  @Bean
  ApiAuthorization publicRegisterAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, PUBLIC_PATHS).permitAll();
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    for (String page : PAGES) {
      registry.addRedirectViewController("/" + page, "/" + page + "/");
      registry.addViewController("/" + page + "/").setViewName("forward:/" + page + "/index.html");
    }
  }
}
