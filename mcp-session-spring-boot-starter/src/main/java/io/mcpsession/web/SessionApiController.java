package io.mcpsession.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Limits;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PrincipalScope;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.store.SessionStore;

/**
 * The HTTP API of sessions, their state, their event logs and the global feed, under
 * {@code mcp.session.web.base-path}. Every input is checked here before it reaches the store; every session, and
 * every feed entry of it, is visible only to the principal that created it (and to operators, see
 * {@link #setAdminAccess(AdminAccess)}); ids that a principal chooses live in its own namespace
 * ({@link PrincipalIds}), so no response reveals another principal's session.
 */
@RestController
@RequestMapping("${mcp.session.web.base-path:/mcp-sessions}")
public class SessionApiController {

    private static final Set<MediaType> JSON = Set.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));

    private static final String EVENT_STREAM = "text/event-stream";

    private final SessionStore store;

    private final SessionStreams streams;

    private final RequestBodies bodies;

    private final Duration maxWait;

    private final boolean feedEnabled;

    private AdminAccess adminAccess = AdminAccess.NONE;

    /**
     * @param store the store
     * @param streams live reads over the store
     * @param maxBodyBytes the largest request body accepted
     * @param maxWait the upper bound of a long-poll's {@code waitMs}
     * @param feedEnabled whether the feed endpoints answer
     */
    public SessionApiController(SessionStore store, SessionStreams streams, long maxBodyBytes, Duration maxWait,
            boolean feedEnabled) {
        this.store = store;
        this.streams = streams;
        this.bodies = new RequestBodies(maxBodyBytes);
        this.maxWait = maxWait;
        this.feedEnabled = feedEnabled;
    }

    /** Who sees and manages every principal's sessions and feed entries; nobody by default. */
    public void setAdminAccess(AdminAccess adminAccess) {
        this.adminAccess = adminAccess;
    }

    // Sessions

    @PostMapping
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        String body = this.bodies.read(request, JSON);
        String principal = principalOf(request);
        NewSession requested = RequestBodies.newSession(body, principal);
        if (requested.id() != null) {
            String chosen = requested.id();
            // The caller's own session under exactly this id (a generated one) is taken; nobody else's counts.
            if (principal != null && this.store.find(chosen).filter((existing) -> principal.equals(existing.principal())).isPresent()) {
                throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + chosen + "' already exists");
            }
            requested = new NewSession(PrincipalIds.toStore(chosen, principal), requested.clientCapabilities(),
                    requested.serverCapabilities(), requested.protocolVersion(), requested.metadata(), principal);
        }
        Session session = this.store.create(requested);
        URI location = URI.create(request.getRequestURI().replaceAll("/+$", "") + "/"
                + UriUtils.encodePathSegment(session.id(), StandardCharsets.UTF_8));
        return json(ResponseEntity.created(location), session);
    }

    @GetMapping
    ResponseEntity<byte[]> list(@RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String after, HttpServletRequest request) {
        int pageSize = limitOf(limit);
        return json(ResponseEntity.ok(), this.adminAccess.isAdmin(request) ? this.store.list(after, pageSize)
                : this.store.list(after, pageSize, principalOf(request)));
    }

    @GetMapping("/{id}")
    ResponseEntity<byte[]> get(@PathVariable String id, HttpServletRequest request) {
        return json(ResponseEntity.ok(), requireAccess(id, request));
    }

    @PatchMapping("/{id}")
    ResponseEntity<byte[]> update(@PathVariable String id, HttpServletRequest request) {
        id = requireAccess(id, request).id();
        String body = requireBody(this.bodies.read(request, JSON));
        return json(ResponseEntity.ok(), this.store.update(id, new SessionPatch(body)));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, HttpServletRequest request) {
        id = requireAccess(id, request).id();
        if (!this.store.delete(id)) {
            throw McpSessionException.sessionNotFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    // State

    /**
     * The state as one object, a page at a time: {@code after} (the last key of the previous page) and
     * {@code limit} (1–1000, default 1000); a page the limit or the byte budget stopped names the next one in a
     * {@code Link: <…>; rel="next"} header, so the body stays the {@code {key: value}} object.
     */
    @GetMapping("/{id}/state")
    ResponseEntity<byte[]> getAllState(@PathVariable String id, @RequestParam(required = false) @Nullable String after,
            @RequestParam(required = false) @Nullable String limit, HttpServletRequest request) {
        String afterKey = nameOf("after", after);
        int pageLimit = (limit != null) ? limitOf(limit) : Limits.MAX_READ_LIMIT;
        id = requireAccess(id, request).id();
        StatePage page = this.store.readState(id, afterKey, pageLimit);
        ResponseEntity.BodyBuilder builder = ResponseEntity.ok();
        if (page.nextCursor() != null) {
            String next = request.getRequestURI() + "?after="
                    + UriUtils.encodeQueryParam(page.nextCursor(), StandardCharsets.UTF_8) + "&limit=" + pageLimit;
            builder.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return builder.contentType(MediaType.APPLICATION_JSON)
            .body(JsonText.objectOf(page.values()).getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/{id}/state/{key}")
    ResponseEntity<byte[]> getState(@PathVariable String id, @PathVariable String key, HttpServletRequest request) {
        id = requireStateAccess(id, key, request);
        String value = this.store.getState(id, key)
            .orElseThrow(() -> new McpSessionException(ErrorCode.STATE_KEY_NOT_FOUND, "No state key '" + key + "'"));
        return rawJson(value);
    }

    @PutMapping("/{id}/state/{key}")
    ResponseEntity<Void> putState(@PathVariable String id, @PathVariable String key, HttpServletRequest request) {
        id = requireStateAccess(id, key, request);
        this.store.putState(id, key, requireBody(this.bodies.read(request, JSON)));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{id}/state/{key}")
    ResponseEntity<Void> removeState(@PathVariable String id, @PathVariable String key, HttpServletRequest request) {
        id = requireStateAccess(id, key, request);
        if (!this.store.removeState(id, key)) {
            throw new McpSessionException(ErrorCode.STATE_KEY_NOT_FOUND, "No state key '" + key + "'");
        }
        return ResponseEntity.noContent().build();
    }

    // Events

    @PostMapping("/{id}/events")
    ResponseEntity<byte[]> append(@PathVariable String id, HttpServletRequest request) {
        id = requireAccess(id, request).id();
        RequestBodies.Events events = RequestBodies.events(requireBody(this.bodies.read(request, JSON)));
        if (!events.batch()) {
            NewEvent event = events.events().get(0);
            if (event.ephemeral()) {
                this.store.publishEphemeral(id, event);
                return ResponseEntity.accepted().build();
            }
            AppendResult result = this.store.append(id, event);
            return json(ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK), result.event());
        }
        List<AppendResult> results = this.store.appendAll(id, events.events());
        boolean anyCreated = results.stream().anyMatch(AppendResult::created);
        return json(ResponseEntity.status(anyCreated ? HttpStatus.CREATED : HttpStatus.OK),
                results.stream().map(AppendResult::event).toList());
    }

    @GetMapping("/{id}/events")
    Object read(@PathVariable String id, @RequestParam Map<String, String> params, HttpServletRequest request) {
        id = requireAccess(id, request).id();
        EventQuery query = new EventQuery(afterOf(params.get("after")), epochOf(params.get("epoch")),
                positiveOf("before", params.get("before")), nameOf("type", params.get("type")),
                nameOf("runId", params.get("runId")), sinceOf(params.get("since")), limitOf(params.get("limit")));
        Duration wait = waitOf(params.get("waitMs"));
        if (wait.isZero()) {
            return json(ResponseEntity.ok(), this.store.read(id, query));
        }
        return this.streams.pollSession(id, query, wait);
    }

    @GetMapping("/{id}/events/latest")
    ResponseEntity<byte[]> latest(@PathVariable String id, HttpServletRequest request) {
        id = requireAccess(id, request).id();
        return json(ResponseEntity.ok(), this.store.position(id));
    }

    @DeleteMapping("/{id}/events")
    ResponseEntity<Void> deleteBefore(@PathVariable String id, @RequestParam(required = false) @Nullable String before,
            HttpServletRequest request) {
        id = requireAccess(id, request).id();
        Long seq = positiveOf("before", before);
        if (seq == null) {
            throw McpSessionException.invalidRequest("'before' is required");
        }
        this.store.deleteBefore(id, seq);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/events/stream")
    void stream(@PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam(required = false) @Nullable String after, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        id = requireAccess(id, request).id();
        this.streams.streamSession(id, resumePoint(lastEventId, after), request, response);
    }

    // Feed

    @GetMapping("/feed")
    Object readFeed(@RequestParam Map<String, String> params, HttpServletRequest request) {
        requireFeed();
        FeedQuery query = new FeedQuery(afterOf(params.get("after")), epochOf(params.get("epoch")),
                typesOf(params.get("types")), feedSessionIdOf(params.get("sessionId"), request),
                limitOf(params.get("limit")), scopeOf(request));
        Duration wait = waitOf(params.get("waitMs"));
        if (wait.isZero()) {
            return json(ResponseEntity.ok(), this.store.readFeed(query));
        }
        return this.streams.pollFeed(query, wait);
    }

    @GetMapping("/feed/stream")
    void streamFeed(@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam Map<String, String> params, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        requireFeed();
        Cursor resumeFrom = resumePoint(lastEventId, params.get("after"));
        this.streams.streamFeed(resumeFrom, typesOf(params.get("types")),
                feedSessionIdOf(params.get("sessionId"), request), scopeOf(request), request, response);
    }

    // HEAD of a stream: a HEAD response has no body, so a stream opened for one would never notice its client
    // leave, and would hold the connection until the session ended. It gets a GET's checks and headers only.

    @RequestMapping(path = "/{id}/events/stream", method = RequestMethod.HEAD)
    ResponseEntity<Void> streamHead(@PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam(required = false) @Nullable String after, HttpServletRequest request) {
        requireAccess(id, request);
        resumePoint(lastEventId, after);
        return eventStreamHeaders();
    }

    @RequestMapping(path = "/feed/stream", method = RequestMethod.HEAD)
    ResponseEntity<Void> streamFeedHead(
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam Map<String, String> params, HttpServletRequest request) {
        requireFeed();
        resumePoint(lastEventId, params.get("after"));
        typesOf(params.get("types"));
        feedSessionIdOf(params.get("sessionId"), request);
        return eventStreamHeaders();
    }

    // Checks

    /**
     * The caller's session named {@code sessionId}: its stored id, or the id the caller chose (stored in its
     * namespace). Another principal's session is answered exactly as a missing one, after the same lookups.
     */
    private Session requireAccess(String sessionId, HttpServletRequest request) {
        // No id that breaks the id rules can name a session: refused before the store sees it (a store may map
        // such an id onto the escaped form of another).
        SessionIds.requireValid(sessionId);
        return accessible(sessionId, request).orElseThrow(() -> McpSessionException.sessionNotFound(sessionId));
    }

    private Optional<Session> accessible(String sessionId, HttpServletRequest request) {
        String principal = principalOf(request);
        boolean admin = this.adminAccess.isAdmin(request);
        Optional<Session> session = this.store.find(sessionId)
            .filter((found) -> admin || Objects.equals(found.principal(), principal));
        if (session.isEmpty() && principal != null && PrincipalIds.fits(sessionId)) {
            session = this.store.find(PrincipalIds.qualify(principal, sessionId))
                .filter((found) -> admin || principal.equals(found.principal()));
        }
        return session;
    }

    /** Operators read every principal's feed entries; everyone else its own principal's. */
    private PrincipalScope scopeOf(HttpServletRequest request) {
        return this.adminAccess.isAdmin(request) ? PrincipalScope.ALL : PrincipalScope.of(principalOf(request));
    }

    /** The feed's session filter: the caller's live session by the id it chose, else the id as given. */
    private @Nullable String feedSessionIdOf(@Nullable String sessionId, HttpServletRequest request) {
        if (sessionId == null) {
            return null;
        }
        String checked = SessionIds.requireValid(sessionId);
        return accessible(checked, request).map(Session::id).orElse(checked);
    }

    /** The stored id of the caller's session, once the id and the state key are known to be valid. */
    private String requireStateAccess(String sessionId, String key, HttpServletRequest request) {
        SessionIds.requireValid(sessionId);
        Limits.requireName("key", key);
        return requireAccess(sessionId, request).id();
    }

    private void requireFeed() {
        if (!this.feedEnabled) {
            throw new McpSessionException(ErrorCode.INVALID_REQUEST, "The feed is disabled (mcp.session.feed.enabled)");
        }
    }

    private static @Nullable String principalOf(HttpServletRequest request) {
        return (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
    }

    private static String requireBody(@Nullable String body) {
        if (body == null) {
            throw McpSessionException.invalidRequest("A JSON body is required");
        }
        return body;
    }

    private static Cursor resumePoint(@Nullable String lastEventId, @Nullable String after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            return Cursor.parse(lastEventId.strip());
        }
        return Cursor.of(null, afterOf(after));
    }

    private static long afterOf(@Nullable String after) {
        return (after != null) ? Cursor.parseSeq(after) : 0;
    }

    private static @Nullable String epochOf(@Nullable String epoch) {
        return (epoch != null && !epoch.isEmpty()) ? Cursor.of(epoch, 0).epoch() : null;
    }

    private static int limitOf(@Nullable String limit) {
        if (limit == null) {
            return Limits.DEFAULT_READ_LIMIT;
        }
        long requested = numberOf("limit", limit);
        return Limits.requireReadLimit((int) Math.max(0, Math.min(requested, Limits.MAX_READ_LIMIT + 1)));
    }

    private static @Nullable Long positiveOf(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        long number = numberOf(name, value);
        if (number < 1) {
            throw McpSessionException.invalidRequest("'" + name + "' must be at least 1");
        }
        return number;
    }

    private Duration waitOf(@Nullable String waitMs) {
        if (waitMs == null) {
            return Duration.ZERO;
        }
        long millis = numberOf("waitMs", waitMs);
        if (millis < 0) {
            throw McpSessionException.invalidRequest("'waitMs' is never negative");
        }
        return (millis > this.maxWait.toMillis()) ? this.maxWait : Duration.ofMillis(millis);
    }

    private static @Nullable Instant sinceOf(@Nullable String since) {
        if (since == null) {
            return null;
        }
        try {
            return Instant.parse(since);
        }
        catch (DateTimeParseException ex) {
            throw McpSessionException.invalidRequest("'since' must be an ISO-8601 UTC timestamp");
        }
    }

    private static @Nullable String nameOf(String name, @Nullable String value) {
        return (value != null) ? Limits.requireName(name, value) : null;
    }

    private static Set<FeedEntryType> typesOf(@Nullable String types) {
        if (types == null || types.isBlank()) {
            return Set.of();
        }
        Set<FeedEntryType> parsed = EnumSet.noneOf(FeedEntryType.class);
        for (String type : types.split(",")) {
            parsed.add(FeedEntryType.fromValue(type.strip())
                .orElseThrow(() -> McpSessionException.invalidRequest("Unknown feed entry type '" + type + "'")));
        }
        return parsed;
    }

    private static long numberOf(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        }
        catch (NumberFormatException ex) {
            throw McpSessionException.invalidRequest("'" + name + "' must be a number");
        }
    }

    private static ResponseEntity<byte[]> json(ResponseEntity.BodyBuilder builder, Object body) {
        return builder.contentType(MediaType.APPLICATION_JSON).body(JsonText.toJsonBytes(body));
    }

    private static ResponseEntity<byte[]> rawJson(String json) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<Void> eventStreamHeaders() {
        return ResponseEntity.ok()
            .header(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
            .header(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform")
            .header("X-Accel-Buffering", "no")
            .build();
    }

}
