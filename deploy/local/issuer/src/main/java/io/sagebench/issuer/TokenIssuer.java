package io.sagebench.issuer;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local stand-in for an OIDC provider: holds an RSA key pair and signs RS256 JWTs in the shape the services verify
 * (smallrye-jwt: {@code iss}, {@code sub}/{@code upn}, {@code groups} = roles, {@code exp}). The services only ever see
 * the public key (PEM), exactly as they would see a real issuer's. Used by the local stack's dev profile
 * ({@code sagebench token}) and by the tests; never by a service.
 */
public final class TokenIssuer {

    /** The issuer the local stack and the tests sign as; the services' {@code mp.jwt.verify.issuer}. */
    public static final String LOCAL_ISSUER = "https://issuer.sagebench.local";

    /** sagebench's roles, carried in the {@code groups} claim (docs/security.md). */
    public static final List<String> ROLES = List.of("viewer", "designer", "operator");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final String issuer;

    public TokenIssuer(KeyPair keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** A new 2048-bit key pair (about 0.1–0.5 s). */
    public static TokenIssuer generate(String issuer) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new TokenIssuer(g.generateKeyPair(), issuer);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JDK", e);
        }
    }

    /** The key pair kept in {@code dir} (private.pem, public.pem), created on first use. */
    public static TokenIssuer inDirectory(Path dir, String issuer) throws IOException {
        Path priv = dir.resolve("private.pem");
        Path pub = dir.resolve("public.pem");
        if (Files.exists(priv) && Files.exists(pub)) {
            return new TokenIssuer(new KeyPair(readPublic(Files.readString(pub)), readPrivate(Files.readString(priv))), issuer);
        }
        TokenIssuer created = generate(issuer);
        Files.createDirectories(dir);
        Files.writeString(pub, created.publicKeyPem());
        Files.writeString(priv, pem("PRIVATE KEY", created.keys.getPrivate().getEncoded()));
        priv.toFile().setReadable(false, false);
        priv.toFile().setReadable(true, true);
        return created;
    }

    /** Rebuilds an issuer from the Base64 (DER) encodings of {@link #encoded()} — lets class loaders share one key. */
    public static TokenIssuer fromEncoded(String publicDer, String privateDer, String issuer) {
        Base64.Decoder d = Base64.getDecoder();
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            return new TokenIssuer(new KeyPair(
                    f.generatePublic(new X509EncodedKeySpec(d.decode(publicDer))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(d.decode(privateDer)))), issuer);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA key pair", e);
        }
    }

    /** {public DER, private DER}, Base64. */
    public String[] encoded() {
        Base64.Encoder e = Base64.getEncoder();
        return new String[] {e.encodeToString(keys.getPublic().getEncoded()), e.encodeToString(keys.getPrivate().getEncoded())};
    }

    public String issuer() { return issuer; }

    /** The public key as PEM, what a service is configured with ({@code mp.jwt.verify.publickey[.location]}). */
    public String publicKeyPem() {
        return pem("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    /** A token for {@code subject} with {@code roles} in {@code groups}, valid for {@code ttl}. */
    public String token(String subject, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", roles);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return sign(claims);
    }

    /** Signs any claim set (tests use it for expired or foreign tokens). */
    public String sign(Map<String, Object> claims) {
        try {
            String header = URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + URL.encodeToString(s.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static PublicKey readPublic(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(unpem(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM", e);
        }
    }

    private static PrivateKey readPrivate(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(unpem(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA private key in PEM (PKCS#8)", e);
        }
    }
}
