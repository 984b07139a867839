#!/usr/bin/env bash
# P1 baseline: the same requests as bench/src/flow.ts, with curl (and jq to
# build the render body from the state, as a shell user would).
# Usage: flow-curl.sh <apiUrl> <outFile> <pollSeconds>
set -euo pipefail
API="$1"; OUT="$2"; POLL="$3"
H=(-H 'X-Skill-Source: nemo-video-vscode' -H 'X-Skill-Version: bench' -H 'X-Skill-Platform: vscode')
CID="$(cat /proc/sys/kernel/random/uuid)"
TOKEN="$(curl -sS -X POST "${H[@]}" -H "X-Client-Id: $CID" "$API/api/auth/anonymous-token" | jq -r .data.token)"
A=(-H "Authorization: Bearer $TOKEN")
SID="$(curl -sS -X POST "${H[@]}" "${A[@]}" -H 'Content-Type: application/json' \
  -d '{"task_name":"bench","language":"en"}' "$API/api/tasks/me/with-session/nemo_agent" | jq -r .data.session_id)"
curl -sS -N -X POST "${H[@]}" "${A[@]}" -H 'Content-Type: application/json' -H 'Accept: text/event-stream' \
  -d "{\"app_name\":\"nemo_agent\",\"user_id\":\"me\",\"session_id\":\"$SID\",\"new_message\":{\"parts\":[{\"text\":\"Generate a 15-second 16:9 video about a city at night\"}]}}" \
  "$API/run_sse" >/dev/null
STATE="$(curl -sS "${H[@]}" "${A[@]}" "$API/api/state/nemo_agent/me/$SID/latest")"
RID="render_$(date +%s%N)"
jq -c --arg id "$RID" --arg sid "$SID" '{id:$id, sessionId:$sid, draft:.data.state.draft, output:{format:"mp4",quality:"high"}}' <<<"$STATE" \
  | curl -sS -X POST "${H[@]}" "${A[@]}" -H 'Content-Type: application/json' -d @- "$API/api/render/proxy/lambda" >/dev/null
# The same poll schedule as the client (docs/protocol.md §16 U5): wait one interval, then poll.
while :; do
  sleep "$POLL"
  R="$(curl -sS "${H[@]}" "${A[@]}" "$API/api/render/proxy/lambda/$RID")"
  [ "$(jq -r '.data.status // .status' <<<"$R")" = completed ] && break
done
URL="$(jq -r '.data.outputUrl // .data.output.url // .outputUrl // .output.url' <<<"$R")"
curl -sS -f -o "$OUT" "$URL"
