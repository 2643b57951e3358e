"""Prints the API action of every request moto's recorder saw (one per
line): the query protocol's `Action` (form body or URL), else the JSON
protocol's `X-Amz-Target`, else `?` with the method and path."""
import base64
import json
import sys
import urllib.parse

for line in open(sys.argv[1]):
    if not line.strip():
        continue
    r = json.loads(line)
    body = r.get("body") or ""
    if r.get("body_encoded") and body:
        body = base64.b64decode(body).decode("utf-8", "replace")
    url = urllib.parse.urlparse(r.get("url", ""))
    form = dict(urllib.parse.parse_qsl(body)) if "=" in body else {}
    query = dict(urllib.parse.parse_qsl(url.query))
    target = (r.get("headers") or {}).get("X-Amz-Target")
    action = form.get("Action") or query.get("Action") or (target.rsplit(".", 1)[-1] if target else None)
    print(action or f"? {r.get('method')} {url.path}")
