package dev.runpodkit.mock.http;

import java.util.Arrays;

/**
 * A compact JSON object written straight into bytes, field by field, for the few hot answers whose fields are
 * numbers, plain strings (see {@link Responses#plain}) and JSON text already at hand. What it writes is exactly what
 * the mapper writes for the same object (ResponsesTest and StatusBytesTest compare them); anything else goes to
 * the mapper.
 */
final class DirectJson {

    private byte[] out;
    private int at;

    DirectJson(int expectedBytes) {
        out = new byte[Math.max(16, expectedBytes)];
        out[at++] = '{';
    }

    DirectJson number(String name, long value) {
        return rawValue(name, Long.toString(value));
    }

    /** A string value; the caller has checked it is plain. */
    DirectJson plainString(String name, String value) {
        name(name);
        room(value.length() + 2);
        out[at++] = '"';
        ascii(value);
        out[at++] = '"';
        return this;
    }

    /** A value given as its JSON text (UTF-8), copied as it is. */
    DirectJson json(String name, byte[] value) {
        name(name);
        room(value.length);
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
        return this;
    }

    byte[] end() {
        room(1);
        out[at++] = '}';
        return at == out.length ? out : Arrays.copyOf(out, at);
    }

    private DirectJson rawValue(String name, String asciiValue) {
        name(name);
        room(asciiValue.length());
        ascii(asciiValue);
        return this;
    }

    /** Writes {@code ,"name":} (no comma before the first field); the caller has checked the name is plain. */
    private void name(String name) {
        room(name.length() + 4);
        if (at > 1) {
            out[at++] = ',';
        }
        out[at++] = '"';
        ascii(name);
        out[at++] = '"';
        out[at++] = ':';
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
    }

    private void room(int bytes) {
        if (at + bytes > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, at + bytes));
        }
    }
}
