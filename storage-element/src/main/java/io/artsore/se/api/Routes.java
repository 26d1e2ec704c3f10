package io.artsore.se.api;

import io.artsore.se.metrics.SeMetrics;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;

/** The 12 endpoints of the contract (plus the additive {@code /openapi}), wired to their handlers. */
public final class Routes {
    public static final String UPLOAD = "/api/v1/files/upload";
    public static final String FILES = "/api/v1/files";
    public static final String FILE = "/api/v1/files/{file_id}";
    public static final String DOWNLOAD = "/api/v1/files/{file_id}/download";
    public static final String INFO = "/api/v1/info";
    public static final String TRANSITION = "/api/v1/mode/transition";
    public static final String RECONCILE = "/api/v1/maintenance/reconcile";

    private Routes() {
    }

    public static void register(HttpRouting.Builder routing, SeMetrics metrics, FilesApi files, UploadApi upload,
                                DownloadApi download, SystemApi system) {
        register(routing, metrics, files, upload, download, system, WriteRouting.LOCAL);
    }

    /** As above, with the write endpoints routed through {@code writes} (a replica forwards them to its leader). */
    public static void register(HttpRouting.Builder routing, SeMetrics metrics, FilesApi files, UploadApi upload,
                                DownloadApi download, SystemApi system, WriteRouting writes) {
        RouteTable table = new RouteTable(routing, metrics);
        table.add(Method.POST, UPLOAD, writes.route(Scopes.FILES_WRITE, upload::upload))
                .add(Method.GET, FILES, files::list)
                .add(Method.GET, FILE, files::metadata)
                .add(Method.PATCH, FILE, writes.route(Scopes.FILES_WRITE, files::update))
                .add(Method.DELETE, FILE, writes.route(Scopes.FILES_WRITE, files::delete))
                .add(Method.GET, DOWNLOAD, download::get)
                .add(Method.HEAD, DOWNLOAD, download::head)
                .add(Method.GET, INFO, system::info)
                .add(Method.POST, TRANSITION, writes.route(Scopes.STORAGE_WRITE, system::transition))
                .add(Method.POST, RECONCILE, writes.route(Scopes.STORAGE_WRITE, system::reconcile))
                .add(Method.GET, "/health/live", system::live)
                .add(Method.GET, "/health/ready", system::ready)
                .add(Method.GET, "/metrics", new MetricsHandler(metrics))
                .add(Method.GET, "/openapi", new OpenApiHandler())
                .finish();
    }
}
