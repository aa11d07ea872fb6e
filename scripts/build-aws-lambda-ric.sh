#!/usr/bin/env bash
# Builds the official aws-lambda-ric (Node runtime interface client, native addon included) once
# into a cache directory, keeping only what a function package needs (bin/, dist/, package.json).
# test/aws-lambda-ric.test.ts ships it inside a provided.al2023 deployment package; it skips when
# the cache is absent. Needs cmake, g++, make, autoconf, automake, libtool (about 2-3 minutes).
set -euo pipefail
version=3.3.0
cache="${LAMBKIN_RIC_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lambkin/aws-lambda-ric-$version}"
if [ -f "$cache/dist/rapid-client.node" ]; then
  echo "aws-lambda-ric $version already built in $cache"
  exit 0
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
echo '{"name":"ric-build","private":true}' > package.json
npm install --no-save --no-audit --no-fund --foreground-scripts "aws-lambda-ric@$version" >/dev/null
src="$scratch/node_modules/aws-lambda-ric"
test -f "$src/dist/rapid-client.node"
mkdir -p "$cache.tmp/bin" "$cache.tmp/dist"
cp "$src/package.json" "$cache.tmp/"
cp "$src/bin/index.mjs" "$cache.tmp/bin/"
cp "$src/dist/index.mjs" "$src/dist/rapid-client.node" "$cache.tmp/dist/"
rm -rf "$cache" && mv "$cache.tmp" "$cache"
echo "aws-lambda-ric $version built into $cache"
