package io.mcpsession.sample;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Who may call the sample. With the {@code secured} profile it is an OAuth 2.0 resource server: every request
 * carries a JWT (RS256, checked with the public key at
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}), the caller's principal is the token's
 * {@code sub}, and the token's {@code scope} grants {@code SCOPE_…} authorities, among them the operators' one
 * ({@code mcp.session.security.admin-authority}), which alone sees health details and metrics. Without it, the
 * sample stays open as in the quick start.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Profile("secured")
    SecurityFilterChain securedApi(HttpSecurity http,
            @Value("${mcp.session.security.admin-authority}") String adminAuthority) throws Exception {
        AuthenticationEntryPoint unauthorized = problem(new BearerTokenAuthenticationEntryPoint(),
                HttpStatus.UNAUTHORIZED, "A valid bearer token is required");
        AccessDeniedHandler forbidden = (request, response, ex) -> {
            new BearerTokenAccessDeniedHandler().handle(request, response, ex);
            writeProblem(response, HttpStatus.FORBIDDEN, "The token lacks the authority this needs");
        };
        return http
            .authorizeHttpRequests((requests) -> requests
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers("/actuator/**").hasAuthority(adminAuthority)
                .anyRequest().authenticated())
            .oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults())
                .authenticationEntryPoint(unauthorized)
                .accessDeniedHandler(forbidden))
            .exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
                .accessDeniedHandler(forbidden))
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            // Bearer tokens are never sent by a browser on its own, so there is no cross-site request to forge.
            .csrf((csrf) -> csrf.disable())
            .build();
    }

    @Bean
    @Profile("!secured")
    SecurityFilterChain openApi(HttpSecurity http) throws Exception {
        // The quick start: no authentication, every caller is the same anonymous principal.
        return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
            .csrf((csrf) -> csrf.disable())
            .build();
    }

    /** An entry point that answers as {@code delegate} (status, WWW-Authenticate) with a problem body. */
    private static AuthenticationEntryPoint problem(AuthenticationEntryPoint delegate, HttpStatus status,
            String detail) {
        return (request, response, ex) -> {
            delegate.commence(request, response, ex);
            writeProblem(response, status, detail);
        };
    }

    private static void writeProblem(HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\",\"code\":\"" + status.name()
                + "\"}");
    }

}
