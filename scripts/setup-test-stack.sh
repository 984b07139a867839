#!/usr/bin/env bash
# Install the stack the in-editor tests and `npm start` need, into an ignored
# cache folder (default: <repo>/.vscode-test/stack):
#
#   * npm packages    pinned by test/stack/package.json + package-lock.json,
#                     installed there with npm ci:
#       Node.js 24      node-linux-<arch>; code-server insists on it.
#       code-server     VS Code's server + web workbench, with its postinstall
#                       (builds VS Code's native modules).
#       playwright-core drives Chromium for the UI journeys.
#   * Debian packages chromium (the browser), ffmpeg (ffprobe checks the MP4s),
#                     and the toolchain code-server's postinstall needs.
#
# Idempotent: each step is skipped when its result is already in place, so a
# second run takes about a second. Prints what it installs.
# Env: STACK_DIR, CHROMIUM=<path> (skip apt chromium), SKIP_APT=1 (no system
#      packages). Versions change in test/stack (README: "The test stack").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.vscode-test/stack}"
mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd)"
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

# --- 1. npm packages: Node.js 24, code-server, playwright-core ------------------
# Exactly the versions of test/stack/package-lock.json, with npm ci, so that
# `npm outdated` in the stack folder reports them (README: "The test stack").
# The stamp holds the lockfile it was installed from: a changed lockfile
# installs again, an unchanged one is skipped.
LOCK_SRC="$ROOT/test/stack"
NM="$STACK_DIR/node_modules"
STAMP="$NM/.installed-from-package-lock.json"
NODE_DIR="$NM/node-linux-$ARCH"
NODE_BIN="$NODE_DIR/bin/node"
CS_PKG="$NM/code-server"
PW_PKG="$NM/playwright-core"
if [ -f "$STAMP" ] && cmp -s "$LOCK_SRC/package-lock.json" "$STAMP" && cmp -s "$LOCK_SRC/package.json" "$STACK_DIR/package.json"; then
  step "packages of test/stack/package-lock.json present"
else
  step "npm ci (test/stack/package-lock.json): code-server, playwright-core, node-linux-$ARCH"
  cp "$LOCK_SRC/package.json" "$LOCK_SRC/package-lock.json" "$STACK_DIR/"
  # --ignore-scripts: code-server's postinstall must run under Node 24, which
  # this very install brings; it runs below. (node-linux-* and playwright-core
  # have no install scripts.)
  (cd "$STACK_DIR" && npm ci --ignore-scripts --omit=dev >/dev/null)
  cp "$LOCK_SRC/package-lock.json" "$STAMP"
fi
[ -x "$NODE_BIN" ] || die "node-linux-$ARCH is not in test/stack/package-lock.json's install ($NODE_BIN missing)"
NODE_VERSION="$("$NODE_BIN" -v)"
PLAYWRIGHT_CORE_VERSION="$("$NODE_BIN" -p "require('$PW_PKG/package.json').version")"

# --- 2. code-server's postinstall ----------------------------------------------
# It builds VS Code's native modules; it must run under Node 24 (it checks
# npm_config_user_agent) against that Node's headers. npm ci above starts from an
# empty node_modules, so a new install always runs it again.
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

# --- 3. Smoke checks and env.json --------------------------------------------------
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
' "$STACK_DIR/env.json" "$NODE_BIN" "$CS_PKG/out/node/entry.js" "$CHROMIUM" "$NM" \
  "$CS_VERSION_LINE" "$NODE_VERSION" "$CHROMIUM_VERSION" "$PLAYWRIGHT_CORE_VERSION" "$FFPROBE"

for old in node code-server pw; do
  if [ -d "$STACK_DIR/$old" ]; then step "$STACK_DIR/$old is left from before test/stack's lockfile and no longer used: delete it when no test is running"; fi
done
step "stack ready in $STACK_DIR: code-server $CS_VERSION_LINE, node $NODE_VERSION, $CHROMIUM_VERSION, playwright-core $PLAYWRIGHT_CORE_VERSION"
