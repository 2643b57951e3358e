"""Prints the API action of every request moto's recorder saw (one per
line): the query protocol's `Action` (form body or URL), else the JSON
protocol's `X-Amz-Target`, else the REST action its method and path name
(EFS), else `?` with the method and path."""
import base64
import json
import sys
import urllib.parse

# REST-JSON calls (EFS): (method, path prefix) -> action
REST = [
    ("GET", "/2015-02-01/file-systems", "DescribeFileSystems"),
    ("GET", "/2015-02-01/mount-targets", "DescribeMountTargets"),
]

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
    if not action:
        action = next((a for m, p, a in REST if r.get("method") == m and url.path.startswith(p)), None)
    print(action or f"? {r.get('method')} {url.path}")
