package io.artsore.se.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams a generated multipart upload over a raw socket (chunked, or with a declared Content-Length) while
 * a second thread waits for the answer, and counts how many body bytes the client got into the socket
 * before the server answered and closed. That count is an upper bound of what the server read.
 */
final class StreamingUpload {
    private static final int CHUNK = 16 * 1024;

    record Result(RawHttp.Response response, long bodyBytesWritten, boolean bodyComplete) {
    }

    private StreamingUpload() {
    }

    /**
     * @param fileBytes     size of the generated file part
     * @param declaredLength true: send Content-Length (the exact body size); false: chunked, no length
     */
    static Result send(int port, String token, long fileBytes, boolean declaredLength) throws Exception {
        String boundary = "b-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long total = head.length + fileBytes + tail.length;
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.read(socket.getInputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + (declaredLength ? "Content-Length: " + total : "Transfer-Encoding: chunked") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long written = 0;
            boolean complete = false;
            try {
                written += write(out, head, head.length, declaredLength);
                byte[] block = new byte[CHUNK];
                for (long left = fileBytes; left > 0 && !answer.isDone(); ) {
                    int n = (int) Math.min(block.length, left);
                    block[0] = (byte) left; // not all zeros; content does not matter
                    written += write(out, block, n, declaredLength);
                    left -= n;
                }
                if (!answer.isDone()) {
                    written += write(out, tail, tail.length, declaredLength);
                    if (!declaredLength) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    complete = written == total;
                }
            } catch (IOException e) {
                // The server answered and closed the connection while we were still sending: expected.
            }
            return new Result(answer.get(60, TimeUnit.SECONDS), written, complete);
        }
    }

    private static int write(OutputStream out, byte[] b, int n, boolean declaredLength) throws IOException {
        if (!declaredLength) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b, 0, n);
        if (!declaredLength) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return n;
    }
}
