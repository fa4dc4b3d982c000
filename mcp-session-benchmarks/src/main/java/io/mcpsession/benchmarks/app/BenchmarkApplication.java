package io.mcpsession.benchmarks.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the load driver measures: the starter as any application uses it, plus the baselines of the
 * HTTP figures in the same application ({@link NoopController}, {@link BroadcastController}), so that a figure
 * and its baseline share the server, the connector, the client and the run. Started in process by
 * {@link AppInstances}.
 */
@SpringBootApplication
public class BenchmarkApplication {

}
