package io.sagebench.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIssuerTest {

    @Test
    void signsAVerifiableRs256TokenWithRolesInGroups(@TempDir Path dir) throws Exception {
        TokenIssuer issuer = TokenIssuer.inDirectory(dir, TokenIssuer.LOCAL_ISSUER);
        String token = issuer.token("alice", List.of("designer"), Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);

        // verify against the PEM a service would be configured with, re-read from disk
        String pem = TokenIssuer.inDirectory(dir, TokenIssuer.LOCAL_ISSUER).publicKeyPem();
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(s.verify(Base64.getUrlDecoder().decode(parts[2])));

        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("alice", claims.get("sub").asText());
        assertEquals("designer", claims.get("groups").get(0).asText());
        assertEquals(TokenIssuer.LOCAL_ISSUER, claims.get("iss").asText());
        assertTrue(claims.get("exp").asLong() > claims.get("iat").asLong());
    }

    @Test
    void anotherKeyPairsSignatureDoesNotVerify() throws Exception {
        TokenIssuer a = TokenIssuer.generate("x");
        String[] enc = a.encoded();
        TokenIssuer same = TokenIssuer.fromEncoded(enc[0], enc[1], "x");
        TokenIssuer other = TokenIssuer.generate("x");
        assertEquals(a.publicKeyPem(), same.publicKeyPem());
        assertFalse(a.publicKeyPem().equals(other.publicKeyPem()));
    }
}
