package io.sagebench.testkit;

import io.sagebench.issuer.TokenIssuer;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real RS256 tokens for tests, signed by one key pair per test JVM. The services under test verify them with the public
 * key that {@link JwtIssuerResource} configures — no mocked identity. The key pair is kept in system properties because
 * a {@code @QuarkusTest} loads this class twice (test and application class loaders), and both must sign with one key.
 */
public final class TestTokens {

    private static final String PUBLIC = "sagebench.test.jwt.public";
    private static final String PRIVATE = "sagebench.test.jwt.private";

    private TestTokens() { }

    static synchronized TokenIssuer issuer() {
        if (System.getProperty(PUBLIC) == null) {
            String[] enc = TokenIssuer.generate(TokenIssuer.LOCAL_ISSUER).encoded();
            System.setProperty(PUBLIC, enc[0]);
            System.setProperty(PRIVATE, enc[1]);
        }
        return TokenIssuer.fromEncoded(System.getProperty(PUBLIC), System.getProperty(PRIVATE), TokenIssuer.LOCAL_ISSUER);
    }

    /** The PEM the services are configured with. */
    public static String publicKeyPem() { return issuer().publicKeyPem(); }

    /** A token for {@code subject} with exactly {@code roles}, valid ten minutes. */
    public static String token(String subject, String... roles) {
        return issuer().token(subject, List.of(roles), Duration.ofMinutes(10));
    }

    public static String viewer(String subject) { return token(subject, "viewer"); }
    public static String designer(String subject) { return token(subject, "designer"); }
    public static String operator(String subject) { return token(subject, "operator"); }

    /** "Bearer &lt;token&gt;", for an Authorization header or a Kafka record header. */
    public static String bearer(String token) { return "Bearer " + token; }

    /** Signed by the right key but expired a minute ago. */
    public static String expired(String subject, String... roles) {
        Map<String, Object> claims = claims(subject, roles);
        claims.put("iat", Instant.now().minusSeconds(600).getEpochSecond());
        claims.put("exp", Instant.now().minusSeconds(60).getEpochSecond());
        return issuer().sign(claims);
    }

    /** Well-formed and unexpired, but signed by a key the services do not trust. */
    public static String foreign(String subject, String... roles) {
        return TokenIssuer.generate(TokenIssuer.LOCAL_ISSUER).token(subject, List.of(roles), Duration.ofMinutes(10));
    }

    /** Signed by the right key, but naming another issuer. */
    public static String wrongIssuer(String subject, String... roles) {
        Map<String, Object> claims = claims(subject, roles);
        claims.put("iss", "https://attacker.example");
        return issuer().sign(claims);
    }

    private static Map<String, Object> claims(String subject, String... roles) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", TokenIssuer.LOCAL_ISSUER);
        c.put("sub", subject);
        c.put("upn", subject);
        c.put("groups", List.of(roles));
        c.put("iat", Instant.now().getEpochSecond());
        c.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        return c;
    }
}
