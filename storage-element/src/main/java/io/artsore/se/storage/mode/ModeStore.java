package io.artsore.se.storage.mode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.domain.Mode;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * {@code {data}/mode.json} ({@code mode, updated_at, updated_by}), written atomically. Once present it wins
 * over SE_MODE. A corrupt or unreadable file is an error, never a silent fallback: falling back could turn an
 * archive writable again.
 */
public final class ModeStore {
    public static final String FILE_NAME = "mode.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ModeStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** The persisted mode, or empty when no transition was ever persisted. */
    public Optional<PersistedMode> load() throws ModeStoreException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ModeStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject() || !n.path("mode").isTextual()) {
                throw new ModeStoreException(file + " has no valid \"mode\"", null);
            }
            Mode mode = Mode.fromWire(n.get("mode").textValue())
                    .orElseThrow(() -> new ModeStoreException(file + ": unknown mode " + n.get("mode"), null));
            JsonNode at = n.path("updated_at");
            return Optional.of(new PersistedMode(mode,
                    at.isTextual() ? OffsetDateTime.parse(at.textValue()).toInstant() : null,
                    n.path("updated_by").isTextual() ? n.get("updated_by").textValue() : null));
        } catch (ModeStoreException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModeStoreException(file + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** Durably replaces mode.json; on failure the previous file is untouched. */
    public void save(PersistedMode m) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("mode", m.mode().wireName());
        o.put("updated_at", AttrCodec.format(m.updatedAt()));
        o.put("updated_by", m.updatedBy());
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o),
                AtomicFiles.processTempTag("mode"), null);
    }

    public Path file() {
        return file;
    }
}
