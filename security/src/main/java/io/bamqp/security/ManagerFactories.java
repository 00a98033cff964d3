package io.bamqp.security;

import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * JSSE factories that hand out one given manager, for APIs that take factories (Netty, Vert.x)
 * without pulling in their own wrappers. Initialising them does nothing.
 */
final class ManagerFactories {
  private static final Provider PROVIDER = new Provider("bamqp", "1", "bamqp peer TLS") {};

  private ManagerFactories() {}

  static KeyManagerFactory of(KeyManager manager) {
    return new KeyManagerFactory(
        new KeyManagerFactorySpi() {
          @Override
          protected void engineInit(KeyStore keyStore, char[] password) {}

          @Override
          protected void engineInit(ManagerFactoryParameters parameters) {}

          @Override
          protected KeyManager[] engineGetKeyManagers() {
            return new KeyManager[] {manager};
          }
        },
        PROVIDER,
        "bamqp") {};
  }

  static TrustManagerFactory of(TrustManager manager) {
    return new TrustManagerFactory(
        new TrustManagerFactorySpi() {
          @Override
          protected void engineInit(KeyStore keyStore) {}

          @Override
          protected void engineInit(ManagerFactoryParameters parameters) {}

          @Override
          protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {manager};
          }
        },
        PROVIDER,
        "bamqp") {};
  }
}
