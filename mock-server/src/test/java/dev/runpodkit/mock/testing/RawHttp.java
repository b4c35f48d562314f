package dev.runpodkit.mock.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A minimal HTTP/1.1 client over a plain socket, so a test controls every byte a request carries: header names,
 * their order and case, a {@code charset} header, a form content type on a JSON body. Java's HttpClient adds
 * headers of its own and refuses some; aiohttp and requests, which the runpod-python worker uses, do not.
 * Connections are kept alive and reused, as aiohttp's session and requests' pool do.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** One header, as sent. */
    public record Header(String name, String value) {
    }

    /** What a request put on the wire (the exact bytes), for tests that compare it with the captures. */
    public record Sent(String method, String target, List<Header> headers, byte[] body) {
        public String header(String name) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        public String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }

        @Override
        public String toString() {
            return method + " " + target + " " + headers + (body.length == 0 ? "" : " " + bodyText());
        }
    }

    /** An answer: status, headers (names in lower case) and the decoded body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    /** A kept-alive connection to one host and port; not thread-safe (one request at a time, like one aiohttp connection). */
    public static final class Connection implements Closeable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private volatile boolean closed;

        public Connection(URI anyUrlOnTheServer) {
            this.host = anyUrlOnTheServer.getHost();
            this.port = anyUrlOnTheServer.getPort();
        }

        public String hostHeader() {
            return host + ":" + port;
        }

        /**
         * Sends one request and reads its answer. {@code headers} are sent in order after {@code Host}; a body
         * adds {@code Content-Length}. A kept-alive connection the server has closed is reopened once.
         */
        public synchronized Response exchange(String method, String target, List<Header> headers, byte[] body, int timeoutMs)
                throws IOException {
            byte[] request = encode(method, target, headers, body);
            boolean reused = socket != null;
            try {
                return roundTrip(request, method, timeoutMs);
            } catch (SocketException e) { // includes EofBeforeAnswer: a kept-alive connection the server closed
                if (!reused || closed) {
                    throw e;
                }
                drop();
                return roundTrip(request, method, timeoutMs);
            }
        }

        private Response roundTrip(byte[] request, String method, int timeoutMs) throws IOException {
            if (closed) {
                throw new SocketException("connection closed");
            }
            if (socket == null) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(host, port), 5_000);
                s.setTcpNoDelay(true);
                socket = s;
                in = s.getInputStream();
                out = s.getOutputStream();
            }
            socket.setSoTimeout(timeoutMs);
            out.write(request);
            out.flush();
            Response r = read(method);
            String connection = r.header("connection");
            if (connection != null && connection.equalsIgnoreCase("close")) {
                drop();
            }
            return r;
        }

        private byte[] encode(String method, String target, List<Header> headers, byte[] body) {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            sb.append("Host: ").append(hostHeader()).append("\r\n");
            for (Header h : headers) {
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            if (body != null) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (body == null || body.length == 0) {
                return head;
            }
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        private Response read(String method) throws IOException {
            String statusLine = line(true);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(false); !l.isEmpty(); l = line(false)) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
            byte[] body;
            if (status == 204 || status == 304 || status / 100 == 1 || method.equals("HEAD")) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
                drop();
            }
            if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    body = gz.readAllBytes();
                }
            }
            return new Response(status, headers, body);
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(false);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!line(false).isEmpty()) {
                        // trailers
                    }
                    return all.toByteArray();
                }
                all.write(in.readNBytes(size));
                line(false);
            }
        }

        private String line(boolean first) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            if (c == -1 && first && b.size() == 0) {
                throw new EofBeforeAnswer();
            }
            if (c == -1) {
                throw new IOException("connection closed mid-answer");
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        private void drop() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        /** Forgets the socket (after a timeout its state is unknown); the next request opens a new one. */
        public synchronized void reset() {
            drop();
        }

        /** Closes the socket, also from another thread: a request blocked on it fails at once. */
        @Override
        public void close() {
            closed = true;
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** The server closed a kept-alive connection before answering: the request can be sent again. */
    static final class EofBeforeAnswer extends SocketException {
        EofBeforeAnswer() {
            super("connection closed before the answer");
        }
    }

    /** Headers as a list, from name, value pairs. */
    public static List<Header> headers(String... nameValue) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            list.add(new Header(nameValue[i], nameValue[i + 1]));
        }
        return list;
    }
}
