#!/usr/bin/env bash
# Install the stack the in-editor tests and `npm start` need, into an ignored
# cache folder (default: <repo>/.vscode-test/stack):
#
#   * Node.js 24      npm package node-linux-<arch>; code-server insists on it.
#   * code-server     VS Code's server + web workbench, from npm, with its
#                     postinstall (builds VS Code's native modules).
#   * playwright-core drives Chromium for the UI journeys.
#   * Debian packages chromium (the browser), ffmpeg (ffprobe checks the MP4s),
#                     and the toolchain code-server's postinstall needs.
#
# Idempotent: each step is skipped when its result is already in place, so a
# second run takes about a second. Prints what it installs.
# Env: STACK_DIR, CODE_SERVER_VERSION, PLAYWRIGHT_CORE_VERSION, NODE_MAJOR,
#      CHROMIUM=<path> (skip apt chromium), SKIP_APT=1 (no system packages).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.vscode-test/stack}"
mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
NODE_MAJOR="${NODE_MAJOR:-24}"
SKIP_APT="${SKIP_APT:-0}"

step() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
die() { echo "[setup] error: $*" >&2; exit 1; }

have npm || die "npm is required"
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ARCH=x64 ;;
  Linux/aarch64 | Linux/arm64) ARCH=arm64 ;;
  *) die "unsupported platform $(uname -s)/$(uname -m): the headless stack is Linux-only (use npm run test:electron elsewhere)" ;;
esac
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error

# --- 0. System packages (apt) -------------------------------------------------
if [ "$SKIP_APT" != 1 ]; then
  pkgs=(build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev ffmpeg)
  # Fonts: Latin, Chinese (the zh-CN UI) and colour emoji (the chat shows ✅ 🎬; without
  # the font, screenshots show empty boxes where a user sees emoji).
  [ -z "${CHROMIUM:-}" ] && pkgs+=(chromium fonts-liberation fonts-noto-cjk fonts-noto-color-emoji)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt: installing ${missing[*]}"
    have apt-get || die "apt-get not found: install ${missing[*]} yourself and re-run with SKIP_APT=1"
    APT=(apt-get)
    [ "$(id -u)" -ne 0 ] && APT=(sudo env DEBIAN_FRONTEND=noninteractive apt-get)
    export DEBIAN_FRONTEND=noninteractive
    "${APT[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
      || { "${APT[@]}" update -q >/dev/null && "${APT[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    step "apt packages present"
  fi
fi
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] || die "no Chromium found; set CHROMIUM=/path/to/chrome"

# --- 1. Node.js 24 for code-server -------------------------------------------
NODE_DIR="$STACK_DIR/node/node_modules/node-linux-$ARCH"
NODE_BIN="$NODE_DIR/bin/node"
if [ -x "$NODE_BIN" ] && "$NODE_BIN" -v | grep -q "^v$NODE_MAJOR\."; then
  step "node $("$NODE_BIN" -v) present"
else
  step "npm: node-linux-$ARCH@$NODE_MAJOR"
  mkdir -p "$STACK_DIR/node"
  npm install --prefix "$STACK_DIR/node" --no-save "node-linux-$ARCH@$NODE_MAJOR" >/dev/null
fi
NODE_VERSION="$("$NODE_BIN" -v)"

# --- 2. code-server ------------------------------------------------------------
CS_PKG="$STACK_DIR/code-server/node_modules/code-server"
installed_cs="$( [ -f "$CS_PKG/package.json" ] && "$NODE_BIN" -p "require('$CS_PKG/package.json').version" || true)"
if [ "$installed_cs" = "$CODE_SERVER_VERSION" ]; then
  step "code-server $installed_cs present"
else
  step "npm: code-server@$CODE_SERVER_VERSION"
  mkdir -p "$STACK_DIR/code-server"
  # --ignore-scripts: npm 11 skips dependency install scripts anyway, and an
  # older npm would run them with the wrong Node. Run the postinstall below.
  PATH="$NODE_DIR/bin:$PATH" npm install --prefix "$STACK_DIR/code-server" --no-save \
    --ignore-scripts --omit=dev "code-server@$CODE_SERVER_VERSION" >/dev/null
  rm -f "$CS_PKG/.postinstall-done"
fi
# The postinstall builds VS Code's native modules; it must run under Node 24
# (it checks npm_config_user_agent) against that Node's headers.
if [ -f "$CS_PKG/.postinstall-done" ]; then
  step "code-server postinstall done earlier"
else
  step "code-server postinstall (native modules; about 2 minutes)"
  (
    cd "$CS_PKG"
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    export npm_config_user_agent="npm/$(npm -v) node/$NODE_VERSION linux $ARCH"
    sh ./postinstall.sh >"$STACK_DIR/postinstall.log" 2>&1 || { tail -40 "$STACK_DIR/postinstall.log" >&2; exit 1; }
  )
  touch "$CS_PKG/.postinstall-done"
fi

# --- 3. playwright-core ----------------------------------------------------------
PW_PKG="$STACK_DIR/pw/node_modules/playwright-core/package.json"
if [ -f "$PW_PKG" ] && grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$PW_PKG"; then
  step "playwright-core $PLAYWRIGHT_CORE_VERSION present"
else
  step "npm: playwright-core@$PLAYWRIGHT_CORE_VERSION"
  mkdir -p "$STACK_DIR/pw"
  npm install --prefix "$STACK_DIR/pw" --no-save "playwright-core@$PLAYWRIGHT_CORE_VERSION" >/dev/null
fi

# --- 4. Smoke checks and env.json --------------------------------------------------
export XDG_CONFIG_HOME="$STACK_DIR/.xdg/config" XDG_DATA_HOME="$STACK_DIR/.xdg/data"
CS_VERSION_LINE="$("$NODE_BIN" "$CS_PKG/out/node/entry.js" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -1)"
[ -n "$CS_VERSION_LINE" ] || die "code-server --version failed"
"$NODE_BIN" -e '
  const base = process.argv[1] + "/lib/vscode/node_modules/";
  for (const m of ["@vscode/spdlog", "node-pty", "@parcel/watcher", "@vscode/native-watchdog"]) require(base + m);
' "$CS_PKG" || die "code-server native modules failed to load; delete $CS_PKG/.postinstall-done and re-run"
CHROMIUM_VERSION="$("$CHROMIUM" --version 2>/dev/null | head -1 || true)"
FFPROBE="$(command -v ffprobe || true)"

"$NODE_BIN" -e '
  const [file, node, entry, chromium, nm, cs, nodeV, chV, pw, ffprobe] = process.argv.slice(1);
  require("fs").writeFileSync(file, JSON.stringify({
    node, codeServerEntry: entry, chromium, nodeModules: nm, ffprobe: ffprobe || null,
    versions: { codeServer: cs, node: nodeV, chromium: chV, playwrightCore: pw },
  }, null, 2) + "\n");
' "$STACK_DIR/env.json" "$NODE_BIN" "$CS_PKG/out/node/entry.js" "$CHROMIUM" "$STACK_DIR/pw/node_modules" \
  "$CS_VERSION_LINE" "$NODE_VERSION" "$CHROMIUM_VERSION" "$PLAYWRIGHT_CORE_VERSION" "$FFPROBE"

step "stack ready in $STACK_DIR: code-server $CS_VERSION_LINE, node $NODE_VERSION, $CHROMIUM_VERSION, playwright-core $PLAYWRIGHT_CORE_VERSION"
