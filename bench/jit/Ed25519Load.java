import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs, or verifies, one Ed25519 message over and over with BouncyCastle, as a helper signs its
 * chunks and a home verifies them, printing every 2000 operations the time per operation and the
 * CPU seconds the JVM's JIT compiler threads have used so far (C1 and C2, from /proc/self/task):
 * the load bench/jit-arena.sh watches the JIT compile. The message is 64 bytes, as before the load
 * could sign, so earlier verification figures stay comparable.
 * Usage: java -cp bamqp.jar:DIR Ed25519Load SECONDS sign|verify
 */
public final class Ed25519Load {
  public static void main(String[] args) throws IOException {
    boolean sign = args[1].equals("sign");
    if (!sign && !args[1].equals("verify")) {
      throw new IllegalArgumentException("the second argument is sign or verify, not " + args[1]);
    }
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    Ed25519PublicKeyParameters publicKey = key.generatePublicKey();
    byte[] message = new byte[64];
    byte[] signature = sign(key, message);
    long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
    long since = System.nanoTime();
    for (int n = 1; System.nanoTime() < end; n++) {
      if (sign) {
        message[n & 63]++;
        signature = sign(key, message);
      } else {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
          throw new AssertionError("a good signature failed to verify");
        }
      }
      if (n % 2000 == 0) {
        long now = System.nanoTime();
        System.out.printf(
            "%d %s, %.1f us each, compiler threads %.2f s%n",
            n, sign ? "signatures" : "verifications", (now - since) / 2000e3, compilerSeconds());
        since = now;
      }
    }
  }

  private static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** User and system CPU of this JVM's compiler threads so far, in seconds (100 ticks a second). */
  private static double compilerSeconds() throws IOException {
    long ticks = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name = Files.readString(task.resolve("comm"));
        if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
          continue;
        }
        String stat = Files.readString(task.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      }
    } catch (IOException e) {
      return Double.NaN; // a thread ended while being read
    }
    return ticks / 100.0;
  }
}
