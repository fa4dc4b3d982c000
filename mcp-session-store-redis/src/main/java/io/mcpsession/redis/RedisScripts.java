package io.mcpsession.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * The store's Lua scripts, one file each beside this class, loaded once. Spring Data Redis calls them by SHA
 * ({@code EVALSHA}) and sends the text only when Redis does not know them yet (after a restart or a flush).
 * Scripts of a session start with {@code session_lib.lua}, those of the registry with {@code registry_lib.lua}
 * and those of the feed with {@code feed_lib.lua}.
 */
@SuppressWarnings("rawtypes")
final class RedisScripts {

    // One session (its hash tag): KEYS = RedisKeys.session(id), ARGV = SessionCall's header, then the script's own.
    static final RedisScript<List> CREATE = session("create");

    static final RedisScript<List> SESSION_GET = session("session_get");

    static final RedisScript<List> TOUCH = session("touch");

    static final RedisScript<List> UPDATE = session("update");

    static final RedisScript<List> DELETE = session("delete");

    static final RedisScript<List> STATE_GET = session("state_get");

    static final RedisScript<List> STATE_PUT = session("state_put");

    static final RedisScript<List> STATE_PAGE = session("state_page");

    static final RedisScript<List> STATE_REMOVE = session("state_remove");

    static final RedisScript<List> APPEND = session("append");

    static final RedisScript<List> APPEND_BATCH = session("append_batch");

    static final RedisScript<List> READ = session("read");

    static final RedisScript<List> DELETE_BEFORE = session("delete_before");

    static final RedisScript<List> SWEEP_SESSION = session("sweep_session");

    static final RedisScript<List> FEED_ACK = session("feed_ack");

    // The registry (the global hash tag): KEYS = RedisKeys.registry().
    static final RedisScript<List> RESERVE = withLibrary("registry_lib", "reserve");

    static final RedisScript<List> REGISTER = withLibrary("registry_lib", "register");

    static final RedisScript<List> UNREGISTER = withLibrary("registry_lib", "unregister");

    // The feed (the global hash tag): KEYS = RedisKeys.feed().
    static final RedisScript<List> ANNOUNCE = withLibrary("feed_lib", "announce");

    static final RedisScript<List> FEED_NUMBER = withLibrary("feed_lib", "feed_number");

    static final RedisScript<List> FEED_DONE = withLibrary("feed_lib", "feed_done");

    static final RedisScript<List> FEED_READ = withLibrary("feed_lib", "feed_read");

    static final RedisScript<List> FEED_TRIM = withLibrary("feed_lib", "feed_trim");

    // A lease: KEYS = the lease key.
    static final RedisScript<List> LEASE = RedisScript.of(text("lease"), List.class);

    private RedisScripts() {
    }

    private static RedisScript<List> session(String name) {
        return withLibrary("session_lib", name);
    }

    private static RedisScript<List> withLibrary(String library, String name) {
        return RedisScript.of(text(library) + "\n" + text(name), List.class);
    }

    private static String text(String name) {
        ClassPathResource resource = new ClassPathResource(name + ".lua", RedisScripts.class);
        try {
            return StreamUtils.copyToString(resource.getInputStream(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the Redis script " + name + ".lua", ex);
        }
    }

}
