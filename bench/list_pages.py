#!/usr/bin/env python3
"""A full registry-style sync of the element with a minimal client: GET /api/v1/files?limit=1000&offset=0,1000,...
over one kept-alive HTTPS connection, timing each page from request to last body byte (nothing parsed).
Usage: list_pages.py SE_URL JWKS_MOCK_URL FILES. Prints "p50 p90 p99 max" in milliseconds.

LoadGen (Java HttpClient) measures the same pages with its own client costs included; this shows the element's share.
"""
import http.client
import json
import ssl
import sys
import time
import urllib.parse
import urllib.request

se, mock, files = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2], int(sys.argv[3])
token_request = urllib.request.Request(mock + "/token", headers={"Content-Type": "application/json"},
                                       data=b'{"sub":"bench","scopes":["files:read"],"ttl_seconds":3600}')
token = json.load(urllib.request.urlopen(token_request, timeout=30))["token"]
connection = http.client.HTTPSConnection(se.hostname, se.port, context=ssl._create_unverified_context(), timeout=60)
millis = []
for offset in range(0, files, 1000):
    start = time.perf_counter()
    connection.request("GET", f"/api/v1/files?limit=1000&offset={offset}", headers={"Authorization": "Bearer " + token})
    response = connection.getresponse()
    response.read()
    millis.append((time.perf_counter() - start) * 1000)
    if response.status != 200:
        sys.exit(f"page at offset {offset} answered {response.status}")
millis.sort()
pick = lambda q: millis[min(len(millis) - 1, int(len(millis) * q))]
print(f"{pick(0.5):.2f} {pick(0.9):.2f} {pick(0.99):.2f} {millis[-1]:.2f}")
