package io.artsore.se.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.api.auth.Principal;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.index.IndexPage;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.AbstractList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** List, metadata, PATCH and soft DELETE of files (docs/contract.md §1 #2-#5). */
public final class FilesApi {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final Logger LOG = Logger.getLogger(FilesApi.class.getName());

    private final StorageEngine engine;
    private final Authorizer auth;
    private final SeMetrics metrics;
    private final FileLookup lookup;

    public FilesApi(StorageEngine engine, Authorizer auth, SeMetrics metrics, FileLookup lookup) {
        this.engine = engine;
        this.auth = auth;
        this.metrics = metrics;
        this.lookup = lookup;
    }

    record FileListResponse(List<FileMetadataView> items, long total, long limit, long offset, boolean hasMore) {
    }

    public void list(ServerRequest req, ServerResponse res) throws IOException {
        auth.require(req, Scopes.FILES_READ);
        int limit = (int) RequestParams.longParam(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long offset = RequestParams.longParam(req, "offset", 0, 0, Long.MAX_VALUE);
        String statusText = RequestParams.optional(req, "status");
        FileStatus status = statusText == null ? null : FileStatus.fromWire(statusText)
                .orElseThrow(() -> ApiException.validation("status must be one of active, expired, deleted"));
        IndexPage page = engine.list(status, offset, limit);
        // a view per item as the JSON is written: a 10 000-item page is never held as objects or one byte[]
        List<FileMetadataView> items = new AbstractList<>() {
            @Override
            public FileMetadataView get(int index) {
                return FileMetadataView.of(page.items().get(index));
            }

            @Override
            public int size() {
                return page.items().size();
            }
        };
        Json.stream(res, 200, new FileListResponse(items, page.total(), limit, offset,
                offset + items.size() < page.total()));
    }

    public void metadata(ServerRequest req, ServerResponse res) {
        auth.require(req, Scopes.FILES_READ);
        UUID id = RequestParams.fileId(req);
        Json.send(res, 200, FileMetadataView.of(lookup.require(id)));
    }

    public void update(ServerRequest req, ServerResponse res) throws IOException {
        Principal principal = auth.require(req, Scopes.FILES_WRITE);
        UUID id = RequestParams.fileId(req);
        requireMode(Operation.UPDATE);
        lookup.require(id);
        MetadataUpdate update = MetadataUpdate.parse(JsonBodies.read(req));
        try {
            FileMetadata updated = engine.updateMetadata(id, update.description(), update.tags());
            metrics.operation("update", true);
            Events.log(LOG, Level.INFO, "file_updated", "operation", "update", "file_id", id,
                    "subject", principal.subject(), "outcome", "success");
            Json.send(res, 200, FileMetadataView.of(updated));
        } catch (SeException | IOException e) {
            metrics.operation("update", false);
            Events.log(LOG, Level.INFO, "file_update_failed", "operation", "update", "file_id", id,
                    "subject", principal.subject(), "outcome", "error", "reason", e.getMessage());
            throw e;
        }
    }

    public void delete(ServerRequest req, ServerResponse res) throws IOException {
        Principal principal = auth.require(req, Scopes.FILES_WRITE);
        UUID id = RequestParams.fileId(req);
        requireMode(Operation.DELETE);
        lookup.require(id);
        try {
            engine.softDelete(id);
            metrics.operation("delete", true);
            Events.log(LOG, Level.INFO, "file_deleted", "operation", "delete", "file_id", id,
                    "subject", principal.subject(), "outcome", "success");
            res.status(204).send();
        } catch (SeException | IOException e) {
            metrics.operation("delete", false);
            Events.log(LOG, Level.INFO, "file_delete_failed", "operation", "delete", "file_id", id,
                    "subject", principal.subject(), "outcome", "error", "reason", e.getMessage());
            throw e;
        }
    }

    private void requireMode(Operation op) {
        if (!engine.mode().allows(op)) {
            throw new ApiException(ErrorCode.MODE_NOT_ALLOWED,
                    op.wireName() + " is not allowed in mode " + engine.mode().wireName());
        }
    }

    /** The PATCH body: at least one of description / tags; nothing else may be changed. */
    record MetadataUpdate(String description, List<String> tags) {
        static MetadataUpdate parse(JsonNode body) {
            if (!body.isObject()) {
                throw ApiException.validation("body must be a JSON object");
            }
            String description = null;
            List<String> tags = null;
            for (var field : body.properties()) {
                switch (field.getKey()) {
                    case "description" -> description = Validation.description(field.getValue());
                    case "tags" -> tags = Validation.tags(field.getValue());
                    default -> throw ApiException.validation(
                            "only description and tags can be updated, not " + Validation.shorten(field.getKey()));
                }
            }
            if (description == null && tags == null) {
                throw ApiException.validation("give description and/or tags to update");
            }
            return new MetadataUpdate(description, tags);
        }
    }
}
