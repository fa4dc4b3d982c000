package io.mcpsession.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application the HTTP tests start: nothing but auto-configuration, so the starter supplies the whole API.
 * <p>
 * It is {@code @SpringBootApplication} minus component scanning: a scan of this package would pick up the
 * starter's own {@code @RestController} and {@code @RestControllerAdvice} classes (which live in the same package
 * and are meant to be created by the auto-configuration only), and the tests' nested configurations.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WebTestApplication {

}
