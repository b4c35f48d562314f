package dev.runpodkit.mock.storage;

import java.io.IOException;
import java.io.OutputStream;

/** Writes to two streams: the console, and a captured log the storage tests search for secrets. */
final class TeeStream extends OutputStream {
    private final OutputStream console;
    private final OutputStream captured;

    TeeStream(OutputStream console, OutputStream captured) {
        this.console = console;
        this.captured = captured;
    }

    @Override
    public void write(int c) throws IOException {
        console.write(c);
        synchronized (captured) {
            captured.write(c);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        console.write(buf, off, len);
        synchronized (captured) {
            captured.write(buf, off, len);
        }
    }
}
