package optout.portal.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pages' settings.
 *
 * @param clientId the realm's public client the pages sign in with (authorization code + PKCE)
 */
@ConfigurationProperties("optout.portal.web")
record WebProperties(@DefaultValue("optout-web") String clientId) {}
