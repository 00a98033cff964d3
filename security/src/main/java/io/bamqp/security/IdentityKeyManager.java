package io.bamqp.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the identity's certificate in every handshake, whoever asks: there is one key, one
 * alias, and no CA list to match (peers pin keys, not issuers). It offers the key only for an EdDSA
 * key type, so SunJSSE signs the handshake with Ed25519 (TLS 1.3's {@code ed25519} scheme).
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "bamqp-identity";

  private final Identity identity;
  private final X509Certificate[] chain;

  IdentityKeyManager(Identity identity) {
    this.identity = identity;
    this.chain = new X509Certificate[] {identity.certificate()};
  }

  private static boolean fits(String keyType) {
    return "EdDSA".equalsIgnoreCase(keyType) || "Ed25519".equalsIgnoreCase(keyType);
  }

  private static String aliasFor(String[] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (fits(keyType)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? identity.privateKey() : null;
  }
}
