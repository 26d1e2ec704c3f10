package io.artsore.e2e.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a raw socket, for what {@link java.net.http.HttpClient} refuses to send (any method, header or
 * byte sequence, truncated bodies) and for answers that arrive before the request body has been sent (a 507
 * decided from the headers). One request per connection; the response is read until the server closes or
 * {@code Content-Length} bytes arrived.
 */
final class RawHttp {
    /** The answer; {@code status} is -1 when the connection closed without one, -2 on timeout (a hang). */
    record Answer(int status, String head, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        boolean hung() {
            return status == -2;
        }
    }

    private RawHttp() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code request} (head and body as given) while reading the answer concurrently, then half-closes the
     * output when {@code closeOutput} (a truncated stream the server sees end).
     */
    static Answer exchange(int port, byte[] request, boolean closeOutput, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    out.write(request);
                    out.flush();
                    if (closeOutput) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the server answered early and closed: the answer is what matters
                }
            });
            Answer answer = read(socket.getInputStream());
            writer.cancel(true);
            return answer;
        }
    }

    /** Reads one response: the head, then the body by Content-Length or until the server closes. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            boolean complete = false;
            while (!complete && (b = in.read()) >= 0) {
                head.write(b);
                complete = b == '\n' && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n");
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            if (!complete) {
                return new Answer(-1, headText, new byte[0]);
            }
            int status = parseStatus(headText);
            Answer partial = new Answer(status, headText, new byte[0]);
            String length = partial.header("Content-Length");
            byte[] body;
            if (length != null) {
                body = in.readNBytes((int) Math.min(Long.parseLong(length), 16 << 20));
            } else if ("chunked".equalsIgnoreCase(String.valueOf(partial.header("Transfer-Encoding")))) {
                body = dechunk(in);
            } else {
                body = new byte[0]; // no body framing: HEAD, 204, 304
            }
            return new Answer(status, headText, body);
        } catch (SocketTimeoutException e) {
            return new Answer(-2, head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
        } catch (IOException e) {
            // reset by the server: no answer
            return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
        }
    }

    private static int parseStatus(String head) {
        String[] parts = head.split(" ", 3);
        if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** A chunked-encoding chunk of {@code data}. */
    static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
        out.writeBytes(ascii(Integer.toHexString(data.length) + "\r\n"));
        out.writeBytes(data);
        out.writeBytes(ascii("\r\n"));
        return out.toByteArray();
    }
}
