package io.artsore.se.storage.wal;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Whether an interrupted upload reached the disk whole: its attr.json parses and its content matches it. */
final class CompleteUpload {
    private CompleteUpload() {
    }

    /**
     * True when the record's attr.json names this file, and the data file is a regular file of exactly that size
     * and SHA-256; the content is then fsynced, so what is kept is durable. Any doubt (missing, unreadable, another
     * size or hash) is false: the upload is rolled back as before.
     */
    static boolean verify(ShardLayout layout, WalRecord r) {
        if (r.attrPath() == null || r.dataPath() == null) {
            return false;
        }
        try {
            Path attr = layout.resolve(r.attrPath());
            Path data = layout.resolve(r.dataPath());
            if (!Files.isRegularFile(attr, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(data, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            FileMetadata m = AttrCodec.decode(Files.readAllBytes(attr), attr);
            if (!m.fileId().equals(r.fileId()) || Files.size(data) != m.size() || !m.checksum().equals(sha256(data))) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                ch.force(true);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
