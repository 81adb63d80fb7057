package dev.qaengine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Loopback-only port checks and bounded polling. */
public final class Net {
    private Net() {
    }

    /** True when something accepts TCP connections on host:port. */
    public static boolean isListening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a readable message when the port cannot be bound on host (another process holds it). */
    public static void requireFree(String host, int port, String what, String hint) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " (" + what + ") on " + host + " is already in use"
                    + " — is another local stack running? " + hint, e);
        }
    }

    /** A port that was free a moment ago on 127.0.0.1 (for tests). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName(StackConfig.HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the condition every 100 ms until it holds; false when the deadline passes first. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(100);
        }
    }
}
