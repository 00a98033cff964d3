import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies one Ed25519 signature over and over with BouncyCastle, as a home verifies its neighbors'
 * chunks, printing the time per verification every 2000: the load bench/jit-arena.sh watches the
 * JIT compile. Usage: java -cp bamqp.jar:DIR Ed25519Verify SECONDS
 */
public final class Ed25519Verify {
  public static void main(String[] args) {
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    Ed25519PublicKeyParameters publicKey = key.generatePublicKey();
    byte[] message = new byte[64];
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    byte[] signature = signer.generateSignature();
    long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
    long since = System.nanoTime();
    for (int n = 1; System.nanoTime() < end; n++) {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, publicKey);
      verifier.update(message, 0, message.length);
      if (!verifier.verifySignature(signature)) {
        throw new AssertionError("a good signature failed to verify");
      }
      if (n % 2000 == 0) {
        long now = System.nanoTime();
        System.out.printf("%d verifications, %.1f us each%n", n, (now - since) / 2000e3);
        since = now;
      }
    }
  }
}
