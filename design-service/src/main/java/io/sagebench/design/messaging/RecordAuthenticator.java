package io.sagebench.design.messaging;

import io.sagebench.contracts.Headers;
import io.sagebench.design.app.Caller;
import io.sagebench.design.app.IncomingRecord;
import io.sagebench.design.app.RecordAuth;
import io.sagebench.design.config.SecurityConfig;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies the {@code authorization: Bearer <jwt>} header of a bench.designs record with the same key and issuer as
 * the REST endpoints (smallrye-jwt's JWTParser, mp.jwt.verify.*). The token itself never reaches a log line, an
 * error or a dead letter.
 */
@ApplicationScoped
public class RecordAuthenticator {

    public static final String HEADER = Headers.AUTHORIZATION;
    private static final String BEARER = "bearer ";

    @Inject
    JWTParser parser;
    @Inject
    SecurityConfig security;

    public RecordAuth authenticate(IncomingRecord record) {
        String header = null;
        for (var h : record.headers().entrySet()) {
            if (HEADER.equalsIgnoreCase(h.getKey())) {
                header = h.getValue();
            }
        }
        if (header == null || header.isBlank()) {
            return security.kafkaRequireToken()
                    ? RecordAuth.failed("the record has no '" + HEADER + ": Bearer <token>' header")
                    : RecordAuth.of(Caller.anonymous());
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return RecordAuth.failed("the '" + HEADER + "' header is not 'Bearer <token>'");
        }
        try {
            JsonWebToken jwt = parser.parse(header.substring(BEARER.length()).trim());
            if (jwt.getName() == null) {
                return RecordAuth.failed("the token names no subject");
            }
            return RecordAuth.of(new Caller(jwt.getName(), jwt.getGroups()));
        } catch (ParseException e) {
            // expired, signed by another key, another issuer, or not a JWT: the parser's message names which, not the token
            return RecordAuth.failed("the bearer token was not accepted (expired, foreign or malformed)");
        }
    }
}
