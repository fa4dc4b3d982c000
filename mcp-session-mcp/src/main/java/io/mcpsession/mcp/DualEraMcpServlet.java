package io.mcpsession.mcp;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.ProtocolVersions;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One MCP endpoint for both protocol eras, as the 2026-07-28 revision allows: a request of a legacy client (an
 * {@code initialize}, a request with an {@code Mcp-Session-Id}, or one whose {@code MCP-Protocol-Version} is
 * 2025-11-25 or older) goes to the legacy transport, typically a {@link DurableMcpTransportProvider}; any other
 * request goes to the 2026-07-28 transport, typically the SDK's {@code HttpServletMcpTransport}.
 */
public final class DualEraMcpServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Set<String> LEGACY_VERSIONS = Set.of("2024-11-05", ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private final HttpServlet legacy;

    private final HttpServlet modern;

    private final int maxPeekBytes;

    private final transient McpJsonMapper json = McpJsonDefaults.getMapper();

    /**
     * @param legacy the transport of protocol revisions up to 2025-11-25
     * @param modern the transport of protocol revision 2026-07-28
     * @param maxPeekBytes the largest body read to find an {@code initialize} (larger ones go to {@code legacy},
     * which refuses them)
     */
    public DualEraMcpServlet(HttpServlet legacy, HttpServlet modern, int maxPeekBytes) {
        this.legacy = Objects.requireNonNull(legacy, "legacy");
        this.modern = Objects.requireNonNull(modern, "modern");
        this.maxPeekBytes = maxPeekBytes;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        this.legacy.init(config);
        this.modern.init(config);
    }

    @Override
    public void destroy() {
        this.modern.destroy();
        this.legacy.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getHeader(DurableMcpTransportProvider.SESSION_HEADER) != null) {
            this.legacy.service(request, response);
            return;
        }
        String version = request.getHeader(DurableMcpTransportProvider.PROTOCOL_HEADER);
        if (version != null) {
            (LEGACY_VERSIONS.contains(version) ? this.legacy : this.modern).service(request, response);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            // GET and DELETE belong to legacy sessions; the legacy transport explains what is missing.
            this.legacy.service(request, response);
            return;
        }
        if (request.getContentLengthLong() > this.maxPeekBytes) {
            this.legacy.service(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(this.maxPeekBytes + 1);
        HttpServletRequest replayed = new ReplayedBody(request, body);
        (isInitialize(body) ? this.legacy : this.modern).service(replayed, response);
    }

    private boolean isInitialize(byte[] body) {
        if (body.length > this.maxPeekBytes) {
            return true;
        }
        try {
            return "initialize".equals(this.json.readValue(body, MAP).get("method"));
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    /** The request with the body already read put back in front of what is left of it. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final ServletInputStream input;

        ReplayedBody(HttpServletRequest request, byte[] head) throws IOException {
            super(request);
            this.input = new Replay(new SequenceInputStream(new ByteArrayInputStream(head), request.getInputStream()));
        }

        @Override
        public ServletInputStream getInputStream() {
            return this.input;
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(this.input,
                    (encoding != null) ? Charset.forName(encoding)
                            : StandardCharsets.UTF_8));
        }

    }

    private static final class Replay extends ServletInputStream {

        private final InputStream in;

        private boolean finished;

        Replay(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = this.in.read();
            this.finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = this.in.read(buffer, offset, length);
            this.finished = n < 0;
            return n;
        }

        @Override
        public boolean isFinished() {
            return this.finished;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                listener.onDataAvailable();
                listener.onAllDataRead();
            }
            catch (IOException ex) {
                listener.onError(ex);
            }
        }

    }

}
