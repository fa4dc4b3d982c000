package io.mcpsession.benchmarks.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the load driver measures: the starter as any application uses it, plus the baselines of the
 * HTTP figures in the same application ({@link NoopController}, {@link BroadcastController}), so that a figure
 * and its baseline share the server, the connector, the client and the run; and the tools of the MCP transport
 * figures ({@link McpTools}), served on our transport or on Spring AI's. Started in process by
 * {@link AppInstances}.
 */
@SpringBootApplication
public class BenchmarkApplication {

}
