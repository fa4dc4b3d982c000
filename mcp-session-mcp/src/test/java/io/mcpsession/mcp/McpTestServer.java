package io.mcpsession.mcp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import io.mcpsession.store.SessionStore;

/**
 * One instance of an MCP server on the bare SDK ({@code McpServer.sync(provider)}, no Spring) with the durable
 * transport, in an embedded Tomcat on a free port. Several instances over one store behave like instances of one
 * deployment. A request's {@code X-Test-User} header becomes its principal, as an authenticating filter would do.
 * <p>
 * Tools: {@code count_slowly} (progress i of count every intervalMs, then {@code counted to <count>}),
 * {@code wait_for_release} (blocks until the test releases it), {@code ask} (elicits a name from the client),
 * {@code reconnect} (ends the client's connection, then answers), {@code echo} (answers its {@code text}),
 * {@code shout} (count progress notifications of 64 KB each at once, then {@code shouted <count>}).
 */
final class McpTestServer implements AutoCloseable {

    static final String USER_HEADER = "X-Test-User";

    private final Tomcat tomcat;

    private final DurableMcpTransportProvider provider;

    private final McpSyncServer server;

    final CountDownLatch release = new CountDownLatch(1);

    private McpTestServer(Tomcat tomcat, DurableMcpTransportProvider provider, McpSyncServer server) {
        this.tomcat = tomcat;
        this.provider = provider;
        this.server = server;
    }

    static McpTestServer start(SessionStore store) {
        return start(store, UnaryOperator.identity());
    }

    static McpTestServer start(SessionStore store,
            UnaryOperator<DurableMcpTransportProvider.Builder> settings) {
        return start(store, settings, 0);
    }

    /**
     * @param sendBufferBytes the size of each connection's socket send buffer, or 0 for the system's (a small one
     *        makes a client that does not read hold its stream back soon)
     */
    static McpTestServer start(SessionStore store, UnaryOperator<DurableMcpTransportProvider.Builder> settings,
            int sendBufferBytes) {
        DurableMcpTransportProvider provider = settings.apply(DurableMcpTransportProvider.builder(store)
            .keepalive(Duration.ofSeconds(1))
            .ownerLease(Duration.ofSeconds(3))).build();
        CountDownLatch[] release = new CountDownLatch[1];
        McpSyncServer server = McpServer.sync(provider)
            .serverInfo("mcp-session-test", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
            .tools(countSlowly(), waitForRelease(release), ask(), reconnect(), echo(), shout())
            .build();
        try {
            Tomcat tomcat = new Tomcat();
            File base = Files.createTempDirectory("mcp-tomcat").toFile();
            tomcat.setBaseDir(base.getAbsolutePath());
            tomcat.setPort(0);
            tomcat.getConnector();
            if (sendBufferBytes > 0) {
                tomcat.getConnector().setProperty("socket.txBufSize", Integer.toString(sendBufferBytes));
            }
            Context context = tomcat.addContext("", base.getAbsolutePath());
            Wrapper wrapper = Tomcat.addServlet(context, "mcp", provider);
            wrapper.setAsyncSupported(true);
            context.addServletMappingDecoded("/mcp", "mcp");
            addPrincipalFilter(context);
            tomcat.start();
            McpTestServer instance = new McpTestServer(tomcat, provider, server);
            release[0] = instance.release;
            return instance;
        }
        catch (IOException | LifecycleException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String url() {
        return "http://localhost:" + this.tomcat.getConnector().getLocalPort() + "/mcp";
    }

    DurableMcpTransportProvider provider() {
        return this.provider;
    }

    McpSyncServer server() {
        return this.server;
    }

    /**
     * The instance dies as a killed process would: no more HTTP and no more lease renewals. (The requests it ran
     * stay blocked in this JVM; what they might still write is what a resuming instance must not be confused by.)
     */
    void kill() {
        stopHttp();
        this.provider.close();
    }

    void stopHttp() {
        if (this.tomcat.getServer().getState().isAvailable() == false
                && this.tomcat.getServer().getState() != org.apache.catalina.LifecycleState.NEW) {
            return;
        }
        try {
            this.tomcat.stop();
            this.tomcat.destroy();
        }
        catch (LifecycleException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.release.countDown();
        this.server.closeGracefully();
        stopHttp();
    }

    private static McpServerFeatures.SyncToolSpecification countSlowly() {
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("count_slowly")
                .inputSchema(Map.of("type", "object", "properties",
                        Map.of("count", Map.of("type", "integer"), "intervalMs", Map.of("type", "integer"))))
                .build())
            .callHandler((exchange, request) -> {
                int count = ((Number) request.arguments().get("count")).intValue();
                long interval = ((Number) request.arguments().get("intervalMs")).longValue();
                Object token = (request.meta() != null) ? request.meta().get("progressToken") : null;
                for (int i = 1; i <= count; i++) {
                    pace(interval);
                    if (token != null) {
                        exchange.progressNotification(
                                new McpSchema.ProgressNotification(token, (double) i, (double) count, null, null));
                    }
                }
                return McpSchema.CallToolResult.builder().addTextContent("counted to " + count).build();
            })
            .build();
    }

    private static McpServerFeatures.SyncToolSpecification waitForRelease(CountDownLatch[] release) {
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("wait_for_release").inputSchema(Map.of("type", "object")).build())
            .callHandler((exchange, request) -> {
                try {
                    release[0].await(60, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return McpSchema.CallToolResult.builder().addTextContent("released").build();
            })
            .build();
    }

    private static McpServerFeatures.SyncToolSpecification ask() {
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("ask").inputSchema(Map.of("type", "object")).build())
            .callHandler((exchange, request) -> {
                McpSchema.ElicitResult answer = exchange.createElicitation(new McpSchema.ElicitFormRequest(
                        "What is your name?",
                        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))), null));
                return McpSchema.CallToolResult.builder()
                    .addTextContent("hello " + answer.content().get("name"))
                    .build();
            })
            .build();
    }

    /** Ends the client's connection mid-call (SEP-1699 polling), then answers: the client must resume for it. */
    private static McpServerFeatures.SyncToolSpecification reconnect() {
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("reconnect").inputSchema(Map.of("type", "object")).build())
            .callHandler((exchange, request) -> {
                DurableMcpTransportProvider.closeConnection(exchange.transportContext());
                return McpSchema.CallToolResult.builder().addTextContent("answered after the connection ended").build();
            })
            .build();
    }

    private static McpServerFeatures.SyncToolSpecification echo() {
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("echo")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string"))))
                .build())
            .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                .addTextContent(String.valueOf(request.arguments().get("text")))
                .build())
            .build();
    }

    private static McpServerFeatures.SyncToolSpecification shout() {
        String loud = "!".repeat(64 * 1024);
        return McpServerFeatures.SyncToolSpecification.builder()
            .tool(McpSchema.Tool.builder("shout")
                .inputSchema(Map.of("type", "object", "properties", Map.of("count", Map.of("type", "integer"))))
                .build())
            .callHandler((exchange, request) -> {
                int count = ((Number) request.arguments().get("count")).intValue();
                Object token = request.meta().get("progressToken");
                for (int i = 1; i <= count; i++) {
                    exchange.progressNotification(
                            new McpSchema.ProgressNotification(token, (double) i, (double) count, loud, null));
                }
                return McpSchema.CallToolResult.builder().addTextContent("shouted " + count).build();
            })
            .build();
    }

    /** The tool's own pacing between progress steps (what a slow tool does), not a test waiting for something. */
    private static void pace(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void addPrincipalFilter(Context context) {
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String user = http.getHeader(USER_HEADER);
            chain.doFilter((user == null) ? request : new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            }, response);
        };
        FilterDef definition = new FilterDef();
        definition.setFilterName("principal");
        definition.setFilter(filter);
        definition.setAsyncSupported("true");
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("principal");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
    }

}
