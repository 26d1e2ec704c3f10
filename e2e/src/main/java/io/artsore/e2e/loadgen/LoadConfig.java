package io.artsore.e2e.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The generator's settings, parsed from command-line arguments (see {@link #USAGE}). */
public record LoadConfig(
        TargetKind target,
        String url,
        OpMix mix,
        int clients,
        Duration duration,
        long ops,
        SizeSpec size,
        long rangeSize,
        int listLimit,
        int prepare,
        String token,
        String jwksMockUrl,
        String sub,
        boolean insecure,
        Path jsonOut) {

    public enum TargetKind { SE, WEBDAV }

    public static final String USAGE = """
            Usage: LoadGen --url URL [options]
              --target se|webdav        se: the Storage Element API (default); webdav: PUT/GET below URL (baseline)
              --url URL                 SE base URL (https://host:8010) or the WebDAV collection URL
              --workload W              upload | download | range | list | metadata | mixed (default upload)
              --mix op=w,...            weights for mixed, e.g. upload=20,download=60,metadata=20 (implies mixed)
              --clients N               concurrent clients (default 4)
              --duration D              run time, e.g. 30s, 2m, 500ms (default 10s unless --ops is given)
              --ops N                   total operations (stops at whichever of --ops/--duration comes first)
              --size S                  upload size: 4k, 256m or a uniform range 1k-64k (default 4k)
              --range-size S            bytes per ranged download (default 64k)
              --list-limit N            list page size (default 1000)
              --prepare N               files uploaded before measuring reads (default max(16, 4 x clients))
              --token T                 bearer token
              --jwks-mock URL           get a token from jwks-mock POST /token (files:read files:write)
              --sub NAME                token subject (default loadgen)
              --insecure                trust any TLS certificate (self-signed development certs)
              --json FILE               also write the results as JSON
            Exit status: 0 when every operation succeeded, 1 when any failed, 2 on bad arguments.
            """;

    private static final String DEFAULT_SE_MIX = "upload=20,download=50,range=10,list=10,metadata=10";
    private static final String DEFAULT_WEBDAV_MIX = "upload=30,download=60,range=10";

    public static LoadConfig parse(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--insecure")) {
                insecure = true;
            } else if (name.startsWith("--") && i + 1 < args.length) {
                options.put(name.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + name + "'");
            }
        }
        TargetKind target = TargetKind.valueOf(take(options, "target", "se").toUpperCase(Locale.ROOT));
        String url = take(options, "url", null);
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        String mixText = take(options, "mix", null);
        String workload = take(options, "workload", mixText == null ? "upload" : "mixed");
        OpMix mix;
        if (workload.equals("mixed")) {
            mix = OpMix.parse(mixText != null ? mixText : target == TargetKind.SE ? DEFAULT_SE_MIX : DEFAULT_WEBDAV_MIX);
        } else if (mixText != null) {
            throw new IllegalArgumentException("--mix goes with --workload mixed, not " + workload);
        } else {
            mix = OpMix.only(OpType.parse(workload));
        }
        int clients = positiveInt(take(options, "clients", "4"), "clients");
        String opsText = take(options, "ops", null);
        long ops = opsText == null ? 0 : positiveInt(opsText, "ops");
        String durationText = take(options, "duration", opsText == null ? "10s" : null);
        Duration duration = durationText == null ? null : parseDuration(durationText);
        SizeSpec size = SizeSpec.parse(take(options, "size", "4k"));
        long rangeSize = SizeSpec.parseBytes(take(options, "range-size", "64k"));
        int listLimit = positiveInt(take(options, "list-limit", "1000"), "list-limit");
        int prepare = Integer.parseInt(take(options, "prepare", Integer.toString(Math.max(16, 4 * clients))));
        String token = take(options, "token", null);
        String jwksMock = take(options, "jwks-mock", null);
        String sub = take(options, "sub", "loadgen");
        String json = take(options, "json", null);
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
        }
        LoadConfig config = new LoadConfig(target, url, mix, clients, duration, ops, size, rangeSize, listLimit, prepare,
                token, jwksMock, sub, insecure, json == null ? null : Path.of(json));
        config.validate();
        return config;
    }

    private void validate() {
        for (OpType op : mix.weights().keySet()) {
            if (target == TargetKind.WEBDAV && (op == OpType.LIST || op == OpType.METADATA)) {
                throw new IllegalArgumentException(op.label() + " is not available with --target webdav");
            }
        }
        if (mix.needsFiles() && prepare < 1) {
            throw new IllegalArgumentException("reads need --prepare >= 1");
        }
        if (mix.weights().containsKey(OpType.RANGE) && (rangeSize < 1 || size.min() < 1)) {
            throw new IllegalArgumentException("range reads need --range-size >= 1 and files of at least 1 byte");
        }
        if (token != null && jwksMockUrl != null) {
            throw new IllegalArgumentException("give --token or --jwks-mock, not both");
        }
    }

    /** Settings as strings, for the report header and the JSON output. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("target", target.name().toLowerCase(Locale.ROOT));
        d.put("url", url);
        d.put("mix", mix.weights().toString().toLowerCase(Locale.ROOT));
        d.put("clients", Integer.toString(clients));
        d.put("duration", duration == null ? "" : duration.toString());
        d.put("ops", ops == 0 ? "" : Long.toString(ops));
        d.put("size", size.toString());
        d.put("range_size", Long.toString(rangeSize));
        d.put("list_limit", Integer.toString(listLimit));
        d.put("tls_insecure", Boolean.toString(insecure));
        return d;
    }

    private static String take(Map<String, String> options, String name, String fallback) {
        String value = options.remove(name);
        return value != null ? value : fallback;
    }

    private static int positiveInt(String text, String name) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + text + "'");
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("bad duration '" + text + "'");
            }, text);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (use 500ms, 30s, 2m, 1h)", e);
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("duration must be positive: '" + text + "'");
        }
        return d;
    }
}
