package io.mcpsession.nats;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The names of everything one store owns, all under its prefix, so that several applications share one NATS.
 * Session ids and state keys may hold any visible ASCII, so they enter subjects and keys base64url-encoded.
 */
final class NatsNames {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    final String prefix;

    NatsNames(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("A NATS store prefix is 1 to 32 of A-Z a-z 0-9 _ -");
        }
        this.prefix = prefix;
    }

    String eventsStream() {
        return this.prefix + "_EVENTS";
    }

    String eventsSubjects() {
        return this.prefix + ".ev.>";
    }

    /** The subject of one incarnation of a session's log: a recreated session never shares its predecessor's. */
    String logSubject(String sessionToken, String sessionEpoch) {
        return this.prefix + ".ev." + sessionToken + "." + sessionEpoch;
    }

    String feedStream() {
        return this.prefix + "_FEED";
    }

    String feedSubject() {
        return this.prefix + ".feed";
    }

    String sessionsBucket() {
        return this.prefix + "_SESSIONS";
    }

    String stateBucket() {
        return this.prefix + "_STATE";
    }

    String metaBucket() {
        return this.prefix + "_META";
    }

    String gravesBucket() {
        return this.prefix + "_GRAVES";
    }

    /** Core-NATS wake-ups of one session's readers (never stored). */
    String wakeSubject(String sessionToken) {
        return this.prefix + ".w." + sessionToken;
    }

    String wakeSubjects() {
        return this.prefix + ".w.>";
    }

    String feedWakeSubject() {
        return this.prefix + ".fw";
    }

    static String token(String text) {
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String untoken(String token) {
        return new String(DECODER.decode(token), StandardCharsets.UTF_8);
    }

}
