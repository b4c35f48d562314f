package dev.runpodkit.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes the JVM's URL connections observable and harmless while open: every http(s) connection a
 * {@code URLConnection} (as networknt's IriResourceLoader uses) would make asks the default
 * {@link ProxySelector} first. This one records the URI and points at a local port that is closed, so
 * nothing leaves the machine. Tests assert that {@link #attempts()} stays empty.
 */
final class NetworkGuard implements AutoCloseable {

    private final ProxySelector previous = ProxySelector.getDefault();
    private final List<URI> attempts = new CopyOnWriteArrayList<>();

    NetworkGuard() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free now, closed once this block ends
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proxy deadEnd = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", closedPort));
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                attempts.add(uri);
                return List.of(deadEnd);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // expected: the dead end refuses
            }
        });
    }

    List<URI> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public void close() {
        ProxySelector.setDefault(previous);
    }
}
