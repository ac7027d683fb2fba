package io.sagebench.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sagebench.issuer.TokenIssuer;

import java.util.Map;

/**
 * Configures the service under test to trust {@link TestTokens}' issuer: its public key (PEM, inline) and issuer name,
 * exactly the two settings a deployment gives it for a real OIDC provider (docs/security.md).
 */
public class JwtIssuerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey", TestTokens.publicKeyPem(),
                "mp.jwt.verify.issuer", TokenIssuer.LOCAL_ISSUER);
    }

    @Override
    public void stop() { }
}
