#!/usr/bin/env bash
# Recreates the fuzz corpora (fuzz/corpus/<target>/, git-ignored) from
# the repository's fixtures, and from the public corpus in ../shared/corpus
# when it is beside the repository. `--keep` keeps what the fuzzer added
# to them instead (each seed is named by its content's hash, so nothing is
# added twice); without it every run starts from the seeds alone, so a
# short run fuzzes rather than replays a grown corpus.
#
# Formats (fuzz/README.md): `yaml`, `manifest`: one file; `cfn`: a
# template, then a NUL and its addons.parameters.yml when there is one;
# `config`: .reachlint.toml NUL commented YAML NUL baseline JSON;
# `snapshot`, `workspace`: bundles, NUL-separated sections each made of a
# relative path line and the file's text.
set -euo pipefail
cd "$(dirname "$0")"
fuzz=$PWD
repo=$(cd .. && pwd)
shared=$(cd "$repo/.." && pwd)/shared/corpus
corpus=$fuzz/corpus
targets=(yaml manifest cfn snapshot config workspace)

case "${1:-}" in
  --keep) ;;
  "") rm -rf "$corpus" ;;
  *) echo "usage: fuzz/seed.sh [--keep]" >&2; exit 2 ;;
esac
for t in "${targets[@]}"; do mkdir -p "$corpus/$t"; done

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# save TARGET: stdin becomes a seed of TARGET (empty input skipped)
save() {
  cat > "$tmp"
  [ -s "$tmp" ] || return 0
  local h
  h=$(sha1sum "$tmp" | cut -c1-40)
  cat "$tmp" > "$corpus/$1/seed-$h"
}

# a path the bundle format accepts: [A-Za-z0-9._-] parts, at most 8
bundle_path() {
  [[ "$1" =~ ^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+){0,7}$ ]] && [[ ! "$1" =~ (^|/)\.\.?(/|$) ]]
}

# bundle ROOT FILE...: the files (paths relative to ROOT) as one bundle
bundle() {
  local root=$1 first=1 f rel
  shift
  for f in "$@"; do
    rel=${f#"$root"/}
    bundle_path "$rel" || continue
    [ "$first" = 1 ] || printf '\0'
    first=0
    printf '%s\n' "$rel"
    cat "$f"
  done
}

# the files of a workspace root worth bundling (no notes, no expected output)
workspace_files() {
  find "$1" -type f \( -path "$1/copilot/*" -o -path "$1/snapshot/*" -o -name .reachlint.toml \) \
    ! -name '*.md' ! -name expected.json -size -256k | LC_ALL=C sort
}

# one place: a fixture, or a corpus repository holding copilot/
seed_root() {
  local root=$1 f dir
  mapfile -t files < <(workspace_files "$root")
  [ "${#files[@]}" -gt 0 ] || return 0
  bundle "$root" "${files[@]}" | save workspace
  for f in "${files[@]}"; do
    case "$f" in
      */snapshot/*.json)
        save yaml < "$f"
        bundle "$root/snapshot" "$f" | save snapshot ;;
      */addons/addons.parameters.yml) save yaml < "$f" ;;
      */addons/*.yml | */addons/*.yaml)
        save yaml < "$f"
        dir=$(dirname "$f")
        if [ -f "$dir/addons.parameters.yml" ]; then
          { cat "$f"; printf '\0'; cat "$dir/addons.parameters.yml"; } | save cfn
        else
          save cfn < "$f"
        fi ;;
      */manifest.yml | */manifest.yaml)
        save yaml < "$f"
        save manifest < "$f"
        if grep -q 'reachlint:' "$f"; then
          { printf '\0'; cat "$f"; } | save config
        fi ;;
      */.reachlint.toml) save config < "$f" ;;
      *.yml | *.yaml | */.workspace) save yaml < "$f" ;;
    esac
  done
  if [ -d "$root/snapshot" ]; then
    mapfile -t snap < <(find "$root/snapshot" -type f -name '*.json' -size -256k | LC_ALL=C sort)
    [ "${#snap[@]}" -eq 0 ] || bundle "$root/snapshot" "${snap[@]}" | save snapshot
  fi
}

for d in "$repo"/fixtures/*/; do
  seed_root "${d%/}"
done

# The public corpus (tests/cli.rs reads it too), when present: Copilot
# workspaces from GitHub, and Copilot's own test manifests and templates.
if [ -d "$shared/github" ]; then
  while IFS= read -r c; do
    seed_root "$(dirname "$c")"
  done < <(find "$shared/github" -type d -name copilot | LC_ALL=C sort)
fi
if [ -d "$shared/copilot-cli" ]; then
  while IFS= read -r f; do
    save yaml < "$f"
    save manifest < "$f"
  done < <(find "$shared/copilot-cli/internal/pkg/manifest/testdata" -type f -name '*.yml' 2>/dev/null | LC_ALL=C sort)
  while IFS= read -r f; do
    save yaml < "$f"
    save cfn < "$f"
  done < <(find "$shared/copilot-cli/internal/pkg/addon/testdata" \
    "$shared/copilot-cli/internal/pkg/deploy/cloudformation/stack/testdata" \
    -type f -name '*.yml' -size -256k 2>/dev/null | LC_ALL=C sort)
fi

# Configuration, suppressions and a baseline, written here: the fixtures
# hold one .reachlint.toml only.
printf '%s' 'select = ["RL1", "RL401"]
ignore = ["RL207"]
environments = ["test", "prod"]
region = "eu-west-1"
variables = ["IMAGE_TAG"]

[severity]
RL404 = "error"
RL406 = "note"

[per-path-ignores]
"copilot/**/addons/*.yml" = ["RL3"]
"copilot/svc/manifest.yml" = ["RL102"]

[[flow]]
service = "api"
to = "database"
expect = "reachable"
reason = "reads orders"

[[flow]]
from = "internet"
to = "workload:api:8080"
expect = "unreachable"
env = "prod"
reason = "behind the load balancer only"
' | save config
{
  printf '%s' 'select = ["RL4"]'
  printf '\0'
  printf '%s' 'name: svc
type: Backend Service # reachlint: ignore[RL101] parsed later
image:
  # reachlint: ignore[RL102,RL3] until=2030-01-31 rolled out next sprint
  port: 80
network: # reachlint: ignore[RL401] until=2020-01-01 expired
  vpc: # reachlint: ignore[] no rule
    placement: private # reachlint: ignore[RL999] unknown rule
"quoted # reachlint: ignore[RL101] not a comment": 1
'
  printf '\0'
  printf '%s' '{"version": 1, "findings": [{"fingerprint": "0123456789abcdef", "rule": "RL101", "file": "copilot/svc/manifest.yml", "path": "image.port", "env": "test", "message": "m"}]}'
} | save config
printf '\0\0%s' '{"version": 1, "findings": []}' | save config

# A workspace with every kind of file and the flags section.
{
  printf 'copilot/.workspace\napplication: app\n\0'
  printf 'copilot/environments/test/manifest.yml\nname: test\ntype: Environment\n\0'
  printf '%s\n' 'copilot/api/manifest.yml' 'name: api' 'type: Backend Service' 'image:' '  build: Dockerfile' '  port: 8080' 'network:' '  vpc:' '    placement: private # reachlint: ignore[RL401] seeded' 'variables:' '  DB: ${DB_NAME}'
  printf '\0'
  printf '%s\n' 'copilot/api/addons/db.yml' 'Parameters:' '  App: {Type: String}' '  Env: {Type: String}' '  Name: {Type: String}' 'Resources:' '  DbSg:' '    Type: AWS::EC2::SecurityGroup' '    Properties:' '      GroupDescription: db' '      VpcId: !ImportValue' "        'Fn::Sub': '\${App}-\${Env}-VpcId'" '      SecurityGroupIngress:' '        - IpProtocol: tcp' '          FromPort: 5432' '          ToPort: 5432' "          SourceSecurityGroupId: !ImportValue" "            'Fn::Sub': '\${App}-\${Env}-EnvironmentSecurityGroup'"
  printf '\0'
  printf '.reachlint.toml\nvariables = ["DB_NAME"]\n[[flow]]\nservice = "api"\nto = "internet"\nexpect = "unreachable"\n\0'
  printf 'ARGS\nenv test\nservice api\nregion us-east-1\nstrict\n'
} | save workspace

for t in "${targets[@]}"; do
  printf '%-10s %5d seeds\n' "$t" "$(find "$corpus/$t" -type f | wc -l)"
done
